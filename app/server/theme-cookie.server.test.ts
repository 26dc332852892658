import { describe, expect, it } from "vitest";
import { nextTheme } from "~/theme";
import { createThemeCookie, themeFromRequest, themeSetCookie } from "./theme-cookie.server";

const request = (cookie?: string) => new Request("http://app.test/", cookie ? { headers: { Cookie: cookie } } : {});

describe("theme cookie", () => {
  it("is written Secure only when asked, SameSite=Lax, for a year, on every path", async () => {
    const secure = await themeSetCookie("dark", createThemeCookie({ secure: true }));
    const plain = await themeSetCookie("dark", createThemeCookie({ secure: false }));
    for (const header of [secure, plain]) {
      expect(header).toMatch(/^pb_theme=/);
      expect(header).toMatch(/; Path=\/(;|$)/);
      expect(header).toMatch(/; Max-Age=31536000(;|$)/);
      expect(header).toMatch(/; SameSite=Lax(;|$)/);
    }
    expect(secure).toMatch(/; Secure(;|$)/);
    expect(plain).not.toMatch(/Secure/);
  });

  it("reads back what it wrote among other cookies, and falls back to system", async () => {
    const cookie = createThemeCookie({ secure: false });
    const written = (await themeSetCookie("light", cookie)).split(";")[0]!;
    expect(await themeFromRequest(request(`a=1; ${written}; b=2`), cookie)).toBe("light");
    const neon = (await cookie.serialize("neon")).split(";")[0]!;
    for (const header of [undefined, neon, "pb_theme=dark", "pb_theme=%%%"])
      expect(await themeFromRequest(request(header), cookie)).toBe("system");
  });

  it("cycles system → dark → light → system", () => {
    expect([nextTheme("system"), nextTheme("dark"), nextTheme("light")]).toEqual(["dark", "light", "system"]);
  });
});
