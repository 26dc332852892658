import type { ErrorEvent } from "@sentry/node";
import { describe, expect, it } from "vitest";
import { scrubEvent } from "./error-reporting.server";

describe("scrubEvent", () => {
  it("keeps the error and the request's method and path, and drops everything that can carry user data", () => {
    const event: ErrorEvent = {
      type: undefined,
      message: "failed for Bearer abc.def",
      request: {
        method: "POST",
        url: "http://app.local/api/prompts/x/render?q=private",
        headers: { authorization: "Bearer abc.def", cookie: "pb_session=s" },
        cookies: { pb_session: "s" },
        data: '{"variables":{"name":"Ada"}}',
        query_string: "q=private",
      },
      user: { email: "ada@example.com", ip_address: "10.0.0.1" },
      extra: { values: { name: "Ada" } },
      breadcrumbs: [{ message: "GET /?q=private" }],
      exception: {
        values: [
          {
            type: "Error",
            value: "login password=hunter2 failed",
            stacktrace: { frames: [{ function: "render", vars: { values: { name: "Ada" } } }] },
          },
        ],
      },
    };
    const out = scrubEvent(event);
    expect(out.request).toEqual({ method: "POST", url: "http://app.local/api/prompts/x/render" });
    expect(out.user).toBeUndefined();
    expect(out.extra).toBeUndefined();
    expect(out.breadcrumbs).toBeUndefined();
    expect(out.message).toBe("failed for Bearer [redacted]");
    expect(out.exception?.values?.[0]).toEqual({
      type: "Error",
      value: "login password=[redacted] failed",
      stacktrace: { frames: [{ function: "render" }] },
    });
    expect(JSON.stringify(out)).not.toMatch(/Ada|hunter2|private|pb_session|abc\.def|10\.0\.0\.1/);
  });
});
