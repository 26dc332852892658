import { describe, expect, it } from "vitest";
import { nextTheme, themeFromCookieHeader } from "./theme";

describe("theme cookie", () => {
  it("reads the theme and falls back to system", () => {
    expect(themeFromCookieHeader("a=1; pb_theme=dark; b=2")).toBe("dark");
    expect(themeFromCookieHeader("pb_theme=light")).toBe("light");
    expect(themeFromCookieHeader("pb_theme=neon")).toBe("system");
    expect(themeFromCookieHeader(null)).toBe("system");
  });
  it("cycles system → dark → light → system", () => {
    expect([nextTheme("system"), nextTheme("dark"), nextTheme("light")]).toEqual(["dark", "light", "system"]);
  });
});
