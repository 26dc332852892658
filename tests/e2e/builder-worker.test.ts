/**
 * The builder renders its preview in the render worker: no request to /resources/render while
 * typing, no CSP violation on the page or in the worker, and the worker's own CSP (not the page's)
 * governs it: eval allowed, network refused. With the worker blocked, the server fallback renders.
 */
import type { Page, Worker } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshot } from "../support/browser";
import { editor, openPage, preview, useServerAndBrowser } from "../support/e2e";

const e2e = useServerAndBrowser();

type Watch = { page: Page; renderRequests: string[]; consoleProblems: string[]; workers: Worker[] };

async function open(opts: { blockWorker?: boolean } = {}): Promise<Watch> {
  const { page, problems } = await openPage(e2e);
  const renderRequests: string[] = [];
  const workers: Worker[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/resources/render") renderRequests.push(r.method());
  });
  page.on("worker", (w) => workers.push(w));
  // The page's own violation reports (evaluated by DevTools, which the page's CSP does not govern).
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = list;
    document.addEventListener("securitypolicyviolation", (e) => list.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  if (opts.blockWorker) await page.route("**/build/workers/**", (route) => route.abort());
  return { page, renderRequests, consoleProblems: problems, workers };
}

const pageViolations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

describe("builder render worker", () => {
  it("renders and counts in the worker while typing: no server renders, no CSP violations", async () => {
    const { page, renderRequests, consoleProblems, workers } = await open();
    await page.goto(`${e2e.server.baseUrl}/prompts/new?starter=support-reply`);
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await expect.poll(() => page.locator(".builder").getAttribute("data-renderer")).toBe("worker");
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toContain("Priya");
    await expect.poll(() => page.locator('[data-testid="input-tokens"]').count(), { timeout: 15_000 }).toBe(1);
    expect(workers.map((w) => new URL(w.url()).pathname)).toEqual([
      expect.stringMatching(/^\/build\/workers\/render-[A-Za-z0-9]+\.js$/),
    ]);
    const worker = workers[0]!;
    // Listen for violations inside the worker too (they are reported to the worker, not the page).
    await worker.evaluate(() => {
      const list: string[] = [];
      (self as unknown as { __cspViolations: string[] }).__cspViolations = list;
      self.addEventListener("securitypolicyviolation", (e) =>
        list.push(
          `${(e as SecurityPolicyViolationEvent).effectiveDirective} ${(e as SecurityPolicyViolationEvent).blockedURI}`,
        ),
      );
    });

    const tokensBefore = await page.locator('[data-testid="input-tokens"]').textContent();
    const task = editor(page, "Template for Customer message");
    await task.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(" Sign it as Dana from {{company}}.", { delay: 15 });
    await expect
      .poll(async () => (await preview(page).textContent()) ?? "")
      .toContain("Sign it as Dana from Acme Cloud.");
    await expect.poll(() => page.locator('[data-testid="input-tokens"]').textContent()).not.toBe(tokensBefore);
    // A template error is still found and located (analysis runs in the worker as well).
    await page.keyboard.type(" {{#if}}");
    await expect.poll(() => page.locator(".callout-error").first().textContent()).toContain("Customer message");
    for (let i = 0; i < " {{#if}}".length; i++) await page.keyboard.press("Backspace");
    await expect
      .poll(async () => (await preview(page).textContent()) ?? "")
      .toContain("Sign it as Dana from Acme Cloud.");
    await screenshot(page, "builder-worker");

    expect(renderRequests).toEqual([]);
    expect(await pageViolations(page)).toEqual([]);
    expect(await worker.evaluate(() => (self as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
    expect(consoleProblems).toEqual([]);

    // The worker's policy is the one it was served with. Eval: the worker probes `new Function`
    // at start and the page falls back to the server if it fails, so still being on "worker"
    // after rendering means it could (DevTools evaluation is exempt from CSP, so it cannot be
    // tested directly). Network: refused, and reported as a connect-src violation.
    expect(await page.locator(".builder").getAttribute("data-renderer")).toBe("worker");
    const fetched = await worker.evaluate(() =>
      fetch("/api/health").then(
        () => "allowed",
        () => "blocked",
      ),
    );
    expect(fetched).toBe("blocked");
    await expect
      .poll(() => worker.evaluate(() => (self as unknown as { __cspViolations: string[] }).__cspViolations))
      .toEqual([expect.stringMatching(/^connect-src /)]);
    await page.context().close();
  });

  it("falls back to rendering on the server when the worker cannot start", async () => {
    const { page, renderRequests } = await open({ blockWorker: true });
    await page.goto(`${e2e.server.baseUrl}/prompts/new?starter=support-reply`);
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await expect.poll(() => page.locator(".builder").getAttribute("data-renderer")).toBe("server");
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toContain("Priya");
    await editor(page, "Template for Customer message").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(" Thanks!");
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toContain("Thanks!");
    await expect.poll(() => page.locator('[data-testid="input-tokens"]').count()).toBe(1);
    expect(renderRequests.length).toBeGreaterThan(0);
    expect(renderRequests.every((m) => m === "POST")).toBe(true);
    await page.context().close();
  });
});
