/** Colour scheme preference, kept in a cookie so the server renders the right scheme (no flash). */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = "pb_theme";

export function isTheme(value: unknown): value is Theme {
  return typeof value === "string" && (THEMES as readonly string[]).includes(value);
}

export function themeFromCookieHeader(header: string | null): Theme {
  const match = /(?:^|;\s*)pb_theme=([a-z]+)/.exec(header ?? "");
  return isTheme(match?.[1]) ? match[1] : "system";
}

export function nextTheme(current: Theme): Theme {
  return current === "system" ? "dark" : current === "dark" ? "light" : "system";
}
