import { useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";

/** The settings the server shares with the page (`publicEnv()`), from the root loader. */
export function usePublicEnv() {
  return useRouteLoaderData<typeof rootLoader>("root")?.env;
}
