/**
 * The colour-scheme cookie, read by the root loader so the server renders the right scheme (no
 * flash) and written by /resources/theme. Not a secret and never read by scripts.
 */
import { createCookie, type Cookie } from "@remix-run/node";
import { isTheme, type Theme } from "~/theme";
import { getEnv } from "./env.server";

const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;

export function createThemeCookie(options: { secure: boolean }): Cookie {
  return createCookie("pb_theme", {
    path: "/",
    maxAge: ONE_YEAR_SECONDS,
    sameSite: "lax",
    httpOnly: true,
    secure: options.secure,
  });
}

let cookie: Cookie | undefined;
/** Secure in production: a browser then sends it over HTTPS only (and http://localhost). */
function themeCookie(): Cookie {
  return (cookie ??= createThemeCookie({ secure: getEnv().NODE_ENV === "production" }));
}

/** The theme a request's cookie asks for; "system" when there is none or it is not one we know. */
export async function themeFromRequest(request: Request, from: Cookie = themeCookie()): Promise<Theme> {
  const value: unknown = await from.parse(request.headers.get("Cookie"));
  return isTheme(value) ? value : "system";
}

/** The Set-Cookie value that keeps `theme`. */
export function themeSetCookie(theme: Theme, to: Cookie = themeCookie()): Promise<string> {
  return to.serialize(theme);
}
