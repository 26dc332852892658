/**
 * Issue 14 in the browser: the builder's Run tab streams a draft's answer from a provider (a local
 * server speaking the OpenAI streaming protocol), shows its figures, stops a long run, and explains
 * a provider error — light, dark and at 375 px.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPage, useServerAndBrowser } from "../support/e2e";
import { startFakeProvider, type FakeProvider } from "../support/fake-providers";
import { ROOT } from "../support/paths";

let fake: FakeProvider;
const options = { database: "sqlite" as const, env: {} as Record<string, string> };
beforeAll(async () => {
  fake = await startFakeProvider("openai", ["gpt-4.1-mini", "slow", "fail-429"]);
  Object.assign(options.env, { OPENAI_API_KEY: "sk-e2e", OPENAI_BASE_URL: fake.baseUrl });
});
afterAll(async () => fake?.close());
const e2e = useServerAndBrowser(options);

/** Types a value into every required preview value the starter leaves empty. */
async function fillPreviewValues(page: Page, value: string) {
  const fields = page.locator('input[aria-label^="Preview value for "], textarea[aria-label^="Preview value for "]');
  for (const input of await fields.all()) {
    if ((await input.getAttribute("placeholder"))?.startsWith("Required") !== true) continue;
    await input.fill((await input.getAttribute("inputmode")) === "decimal" ? "3" : value);
    await input.blur();
  }
}

async function openRunTab(theme: "light" | "dark", width = 1440) {
  const { page, context, problems } = await openPage(e2e, { theme, width });
  await page.goto(`${e2e.server.baseUrl}/prompts/new?starter=summarise-text`);
  await page.waitForSelector('.template-editor[data-editor="codemirror"]');
  await page.getByRole("tab", { name: "Run" }).click();
  await page.locator("#run-model").waitFor();
  return { page, context, problems };
}

describe("the Run tab", () => {
  it("streams the answer and shows tokens, latency, cost and the finish reason", async () => {
    const { page, context, problems } = await openRunTab("light");
    // The variables the starter needs come from the preview values; fill them so the draft renders.
    await page.getByRole("tab", { name: /Variables/ }).click();
    await fillPreviewValues(page, "The tides are caused by the moon.");
    await page.getByRole("tab", { name: "Run" }).click();
    await expect.poll(() => page.locator("#run-model").inputValue()).toBe("gpt-4.1-mini");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect.poll(() => page.locator("#run-output pre").textContent()).toMatch(/^You said: /);
    await expect.poll(() => page.locator("#run-stats").textContent()).toContain("Finish reason");
    const stats = (await page.locator("#run-stats").textContent()) ?? "";
    expect(stats).toMatch(/Input tokens42 \(estimate \d+\)/);
    expect(stats).toMatch(/Cost\$/);
    expect(stats).toContain("stop");
    await page.screenshot({ path: path.join(ROOT, "test-results", "playground-light.png"), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("stops a long run and explains a rate limit (dark, 375 px)", async () => {
    const { page, context } = await openRunTab("dark", 375);
    await page.getByRole("tab", { name: /Variables/ }).click();
    await fillPreviewValues(page, "x");
    await page.getByRole("tab", { name: "Run" }).click();
    await page.locator("#run-model").selectOption("slow");
    const abortedBefore = fake.aborted.length;
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect.poll(() => page.locator("#run-output pre").textContent()).toContain("tick");
    await page.getByRole("button", { name: "Stop" }).click();
    await expect.poll(() => page.locator("#run-error").textContent()).toContain("Stopped.");
    await expect.poll(() => fake.aborted.length).toBeGreaterThan(abortedBefore);

    await page.locator("#run-model").selectOption("fail-429");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await expect.poll(() => page.locator("#run-error").textContent()).toContain("try again in 7 s");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await page.screenshot({ path: path.join(ROOT, "test-results", "playground-dark-375.png"), fullPage: true });
    await context.close();
  });
});
