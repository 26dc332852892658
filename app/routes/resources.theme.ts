import { type ActionFunctionArgs } from "@remix-run/node";
import { themeSetCookie } from "~/server/theme-cookie.server";
import { InvalidError } from "~/prompt/errors";
import { apiResponse, methodNotAllowed, readForm } from "~/server/http/problem.server";
import { localRedirect, redirectField } from "~/server/http/safe-redirect.server";
import { isTheme } from "~/theme";
import { publicRoute } from "~/server/auth/guard.server";

export async function loader() {
  publicRoute();
  return methodNotAllowed("Use POST with a theme.");
}

export async function action({ request }: ActionFunctionArgs) {
  publicRoute();
  const form = await readForm(request);
  return apiResponse(async () => {
    const theme = form.get("theme");
    if (!isTheme(theme))
      throw new InvalidError("Invalid theme", [{ path: ["theme"], message: "expected system, light or dark" }], {
        malformed: true,
      });
    // Only same-origin paths: never an open redirect.
    const redirectTo = redirectField(form.get("redirectTo"), "redirectTo");
    return localRedirect(redirectTo, {
      headers: { "Set-Cookie": await themeSetCookie(theme) },
    });
  });
}
