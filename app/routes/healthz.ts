/** Liveness: the process answers. Touches no database, so a slow database never restarts pods. */
export function loader() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
