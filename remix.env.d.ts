/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single fetch (remix.config.js): loader/action data types as turbo-stream delivers them, and
// `data()` unwrapped, so `useActionData<typeof action>()` is the union an action returns.
export {};
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}
