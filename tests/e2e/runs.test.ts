/**
 * Issue 14 in the browser, past the builder: an admin adds a provider in the app (its key checked
 * by the local provider server), a saved version runs with its saved test values and streams in,
 * a slow run is stopped, both land in the run history, and two versions are compared side by side
 * with their outputs diffed — light, dark and at 375 px.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { promptDraftSchema } from "~/prompt/draft";
import { createDb } from "~/server/db.server";
import { openPage, useServerAndBrowser } from "../support/e2e";
import { startFakeProvider, type FakeProvider } from "../support/fake-providers";
import { ROOT } from "../support/paths";

const KEY = "sk-e2e-DB-KEY-5c1d";
let fake: FakeProvider;
const options = { database: "sqlite" as const, env: {} as Record<string, string> };
beforeAll(async () => {
  fake = await startFakeProvider("openai", ["gpt-4.1-mini", "slow"], { apiKey: KEY });
  Object.assign(options.env, { PROVIDER_KEY_SECRET: "e2e-provider-secret-".padEnd(40, "x") });
});
afterAll(async () => fake?.close());
const e2e = useServerAndBrowser(options);

const draft = (task: string) =>
  promptDraftSchema.parse({
    sections: [{ kind: "task", title: "Task", template: task }],
    variables: [{ name: "topic", type: "string" }],
    modelSettings: { model: "gpt-4.1-mini", stop: [] },
  });

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ROOT, "test-results", `${name}.png`), fullPage: true });

async function noOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
}

describe("providers, runs and comparisons", () => {
  beforeAll(async () => {
    const { db } = createDb(e2e.server.databaseUrl);
    const { prompt } = await createPrompt(db, {
      meta: { name: "Tides", description: "", tags: [], folder: "" },
      slug: "tides-e2e",
      draft: draft("Summarise {{topic}} in one line."),
    });
    await saveVersion(db, {
      promptId: prompt.id,
      baseVersion: 1,
      draft: draft("Explain {{topic}} to a child, briefly."),
    });
    await db.prompt.update({
      where: { id: prompt.id },
      data: { testValues: JSON.stringify({ default: { topic: "the tides" } }) },
    });
    await db.$disconnect();
  });

  it("an admin adds a provider; the page never shows its key", async () => {
    const { page, context, problems } = await openPage(e2e, { theme: "light" });
    await page.goto(`${e2e.server.baseUrl}/admin/providers`);
    await page.getByLabel("Name").fill("Local OpenAI");
    await page.getByLabel("Base URL").fill(fake.baseUrl);
    await page.getByLabel("API key").fill(KEY);
    await page.getByRole("button", { name: "Add provider" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Provider added.");
    expect(await page.content()).not.toContain(KEY);
    await page.getByRole("link", { name: "Change Local OpenAI" }).click();
    await expect.poll(() => page.getByLabel(/API key/).getAttribute("placeholder")).toContain("keep the stored key");
    await shot(page, "admin-providers-light");
    expect(problems).toEqual([]);
    for (const [theme, width] of [
      ["dark", 1440],
      ["light", 375],
    ] as const) {
      const other = await openPage(e2e, { theme, width });
      await other.page.goto(`${e2e.server.baseUrl}/admin/providers`);
      await shot(other.page, `admin-providers-${theme}-${width}`);
      await noOverflow(other.page);
      await other.context.close();
    }
    await context.close();
  });

  it("runs a saved version with its test values, stops a slow run, and both appear in the history", async () => {
    const { page, context, problems } = await openPage(e2e, { theme: "light" });
    await page.goto(`${e2e.server.baseUrl}/prompts/tides-e2e/history`);
    await page.getByRole("link", { name: "Run version 1" }).click();
    await page.waitForURL(/\/runs\?use=1/);
    await expect.poll(() => page.locator("#run-model").inputValue()).toBe("gpt-4.1-mini");
    expect(await page.locator("#run-values").inputValue()).toContain('"topic": "the tides"');
    await page.getByRole("button", { name: "Run v1" }).click();
    await expect
      .poll(() => page.locator("#run-output pre").textContent())
      .toBe("You said: Summarise the tides in one line.");
    await expect.poll(() => page.locator("#run-stats").textContent()).toContain("Finish reason");
    // The run is recorded when it ends, and the list reloads.
    await expect.poll(() => page.locator("#runs-title").textContent()).toBe("1 run");
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);

    await page.locator("#run-model").selectOption("slow");
    await page.getByRole("button", { name: "Run v1" }).click();
    await expect.poll(() => page.locator("#run-output pre").textContent()).toContain("tick");
    await page.getByRole("button", { name: "Stop" }).click();
    await expect.poll(() => page.locator("#run-error").textContent()).toContain("Stopped.");
    // The server records a stopped run when it sees the request close; the page looks again a
    // moment later, and a reload finds it in any case.
    await expect
      .poll(
        async () => {
          if ((await page.locator("#runs-title").textContent()) !== "2 runs") await page.reload();
          return page.locator("#runs-title").textContent();
        },
        { timeout: 15_000, interval: 1000 },
      )
      .toBe("2 runs");
    await expect.poll(() => page.locator(".runs-table").textContent()).toContain("stopped");
    await shot(page, "runs-light");

    // Filter, then open the run that finished.
    await page.locator("#f-status").selectOption("ok");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect.poll(() => page.locator("#runs-title").textContent()).toBe("1 run");
    await page.locator(".runs-table tbody a").first().click();
    await page.waitForURL(/\/runs\/[^/?]+$/);
    await expect.poll(() => page.locator("#run-output").textContent()).toContain("You said: Summarise the tides");
    await shot(page, "run-detail-light");
    expect(problems).toEqual([]);
    for (const [theme, width, p] of [
      ["dark", 1440, "/prompts/tides-e2e/runs"],
      ["light", 375, "/prompts/tides-e2e/runs"],
      ["dark", 375, page.url().replace(e2e.server.baseUrl, "")],
    ] as const) {
      const other = await openPage(e2e, { theme, width });
      await other.page.goto(`${e2e.server.baseUrl}${p}`);
      await other.page.locator("h1").waitFor();
      await shot(other.page, `${p.includes("/runs/") ? "run-detail" : "runs"}-${theme}-${width}`);
      await noOverflow(other.page);
      await other.context.close();
    }
    await context.close();
  });

  it("compares two versions side by side, streaming in parallel, with the outputs diffed", async () => {
    for (const [theme, width] of [
      ["light", 1440],
      ["dark", 1440],
      ["dark", 375],
    ] as const) {
      const { page, context, problems } = await openPage(e2e, { theme, width });
      await page.goto(`${e2e.server.baseUrl}/prompts/tides-e2e/compare-runs`);
      await expect.poll(() => page.locator("#col-0-model").inputValue()).toBe("gpt-4.1-mini");
      expect(await page.locator("#col-0-version").inputValue()).toBe("1");
      expect(await page.locator("#col-1-version").inputValue()).toBe("2");
      await page.getByRole("button", { name: "Run all columns" }).click();
      await expect
        .poll(() => page.locator("#col-0-output pre").textContent())
        .toBe("You said: Summarise the tides in one line.");
      await expect.poll(() => page.locator("#col-1-stats").textContent()).toContain("Finish reason");
      await expect.poll(() => page.locator("#col-1-diffstat").textContent()).toMatch(/Against column 1: \+\d+ −\d+/);
      expect(await page.locator("#col-1-output ins").count()).toBeGreaterThan(0);
      expect(await page.locator("#col-1-output del").count()).toBeGreaterThan(0);
      // Each column stops on its own: a third column on the slow model, stopped, leaves the others.
      if (width === 1440 && theme === "light") {
        await page.getByRole("button", { name: "Add a column" }).click();
        await page.locator("#col-2-model").selectOption("slow");
        await page.locator("#col-2-title").locator("..").getByRole("button", { name: "Run", exact: true }).click();
        await expect.poll(() => page.locator("#col-2-output").textContent()).toContain("tick");
        await page.locator("#col-2-title").locator("..").getByRole("button", { name: "Stop" }).click();
        await expect.poll(() => page.locator("#col-2-error").textContent()).toContain("Stopped.");
        expect(await page.locator("#col-1-stats").textContent()).toContain("Finish reason");
      }
      await shot(page, `compare-runs-${theme}-${width}`);
      await noOverflow(page);
      expect(problems).toEqual([]);
      await context.close();
    }
    // Every column was recorded in the history.
    const { page, context } = await openPage(e2e);
    await expect
      .poll(
        async () => {
          await page.goto(`${e2e.server.baseUrl}/prompts/tides-e2e/runs`);
          return page.locator("#runs-title").textContent();
        },
        { timeout: 15_000, interval: 1000 },
      )
      .toBe("9 runs");
    await context.close();
  });
});
