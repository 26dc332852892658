import { useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";

/**
 * Whether the current user may change prompts (editor or admin; everyone in single-user mode), from
 * the root loader, which every request runs: a role changed by an admin shows on the next page.
 * Only hides controls; every action checks the role itself.
 */
export function useCanEdit(): boolean {
  const data = useRouteLoaderData<typeof rootLoader>("root");
  if (!data?.env.ENABLE_AUTH) return true;
  return Boolean(data.user && data.user.role !== "viewer");
}
