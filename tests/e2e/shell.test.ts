import { describe, expect, it } from "vitest";
import { axeViolations, screenshot } from "../support/browser";
import { useServerAndBrowser } from "../support/e2e";

describe("the app shell in a browser", () => {
  const e2e = useServerAndBrowser();

  it("shows the library with navigation, hydrates without CSP errors and passes axe", async () => {
    const page = await e2e.browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(e2e.server.baseUrl + "/");
    await expect
      .poll(() => page.evaluate(() => Boolean((window as unknown as { __remixContext?: unknown }).__remixContext)))
      .toBe(true);
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents()).toEqual([
      "Library",
      "Snippets",
      "Trash",
    ]);
    expect(await page.getByRole("heading", { level: 1 }).first().textContent()).toBe("Library");
    expect(problems.filter((p) => /Content Security Policy|Refused/i.test(p))).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "shell-library-light");
  });

  it("switches to dark and keeps it across reloads (cookie, rendered on the server)", async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await page.goto(e2e.server.baseUrl + "/");
    expect(await page.locator("html").getAttribute("data-theme")).toBe("system");
    await page.getByRole("button", { name: /switch to dark theme/i }).click();
    await expect.poll(() => page.locator("html").getAttribute("data-theme")).toBe("dark");
    await page.reload();
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe("rgb(15, 17, 21)");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "shell-library-dark");
    await context.close();
  });

  it("fits a 375 px wide screen without horizontal scrolling", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(e2e.server.baseUrl + "/");
    await screenshot(page, "shell-library-375");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
