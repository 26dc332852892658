import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { themeSetCookie } from "~/server/theme-cookie.server";
import { isTheme } from "~/theme";

export async function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const theme = form.get("theme");
  if (!isTheme(theme)) {
    return Response.json({ error: "Invalid theme", issues: [{ path: ["theme"], message: "expected system, light or dark" }] }, { status: 400 });
  }
  const target = String(form.get("redirectTo") ?? "/");
  // Only same-site paths: never an open redirect.
  const redirectTo = target.startsWith("/") && !target.startsWith("//") ? target : "/";
  return redirect(redirectTo, {
    headers: { "Set-Cookie": await themeSetCookie(theme) },
  });
}
