/**
 * Every page of the app, visited in Chromium with its real CSP: no policy violation (in the page
 * or its workers), no console error, no uncaught exception, and each page hydrates.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useServerAndBrowser } from "../support/e2e";

async function visit(page: Page, url: string) {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || /Content Security Policy|Refused to/i.test(m.text()))
      problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(200);
  await expect
    .poll(() => page.evaluate(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter)))
    .toBe(true);
  await page.waitForLoadState("networkidle");
  const violations = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  return [...problems, ...violations.map((v) => `violation: ${v}`)];
}

describe("every page under its real CSP", () => {
  const e2e = useServerAndBrowser();
  let slug: string;
  beforeAll(async () => {
    const list = (await (await fetch(`${e2e.server.baseUrl}/api/v1/prompts`)).json()) as {
      items?: Array<{ slug: string }>;
      prompts?: Array<{ slug: string }>;
    };
    slug = (list.items ?? list.prompts ?? [])[0]!.slug;
  });

  const pages = (s: string) => [
    "/",
    "/?q=reply",
    "/prompts/new",
    `/prompts/${s}`,
    `/prompts/${s}/edit`,
    `/prompts/${s}/history`,
    `/prompts/${s}/runs`,
    `/prompts/${s}/compare-runs`,
    "/admin/providers",
    `/prompts/${s}/tests`,
    "/snippets",
    "/tags",
    "/trash",
    "/import",
    // Single-user mode: the local user is the admin, and every write is logged.
    "/admin/audit",
    "/admin/audit?action=label&from=2020-01-01",
  ];

  it("loads each page without a CSP violation, console error or uncaught exception", async () => {
    expect(slug).toBeTruthy();
    const failures: Record<string, string[]> = {};
    for (const path of pages(slug)) {
      const page = await e2e.browser.newPage();
      const problems = await visit(page, e2e.server.baseUrl + path);
      if (problems.length) failures[path] = problems;
      await page.close();
    }
    expect(failures).toEqual({});
  });

  it("would notice a violation (control: an injected inline script without the nonce is refused and reported)", async () => {
    const page = await e2e.browser.newPage();
    await visit(page, e2e.server.baseUrl + "/");
    // DevTools evaluation itself bypasses the CSP, so the control goes through the DOM.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__injectedRan = true";
      document.head.appendChild(script);
    });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []))
      .toEqual([expect.stringMatching(/^script-src(-elem)? inline$/)]);
    expect(await page.evaluate(() => (window as unknown as { __injectedRan?: boolean }).__injectedRan ?? false)).toBe(
      false,
    );
    await page.close();
  });
});
