/** Liveness: the process answers. Touches no database, so a slow database never restarts pods. */
import { publicRoute } from "~/server/auth/guard.server";
export function loader() {
  publicRoute();
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
