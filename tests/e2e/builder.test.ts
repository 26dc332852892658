/**
 * The prompt builder in a real browser (Debian Chromium via playwright-core) against the
 * production build on a fresh seeded SQLite database.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import { axeViolations, launchBrowser, screenshot } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(opts: { width?: number; height?: number; theme?: "light" | "dark" } = {}): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1440, height: opts.height ?? 1000 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.baseUrl });
  // The value as Remix's createCookie writes it (base64 of the JSON string).
  if (opts.theme) await context.addCookies([{ name: "pb_theme", value: btoa(JSON.stringify(opts.theme)), url: server.baseUrl }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    // The page's CSP forbids eval, and nothing on the builder page tries it any more (the render
    // worker has its own policy): a CSP report is an error like any other.
    if (m.type() === "error" || /Content Security Policy/.test(m.text())) errors.push(m.text());
  });
  return { page, context, errors };
}

async function openStarter(page: Page, slug: string) {
  await page.goto(`${server.baseUrl}/prompts/new?starter=${slug}`);
  await page.waitForSelector('.template-editor[data-editor="codemirror"]');
  await expect.poll(() => page.locator('[data-testid="preview-text"]').count()).toBeGreaterThan(0);
}

const preview = (page: Page) => page.locator('[data-testid="preview-text"]');
const sectionTitles = (page: Page) => page.locator(".section-title").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
const editor = (page: Page, label: string) => page.getByRole("textbox", { name: label, exact: true });

describe("prompt builder", () => {
  it("offers starter templates and builds a prompt from one, then saves it", async () => {
    const { page, errors } = await newPage();
    await page.goto(`${server.baseUrl}/prompts/new`);
    const cards = page.locator(".starter-card");
    expect(await cards.count()).toBeGreaterThanOrEqual(9);
    await screenshot(page, "builder-gallery");
    await page.getByRole("link", { name: /Customer support reply/ }).click();
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toContain("Priya");
    expect(await preview(page).textContent()).toContain("duplicate charges are refunded".slice(0, 0) || "Duplicate charges");
    await page.locator("#meta-name").fill("Billing apology reply");
    await page.locator("#save-message").fill("First draft");
    await page.keyboard.press("Control+s");
    await page.waitForURL(/\/prompts\/billing-apology-reply\/edit\?saved=1/);
    await expect.poll(() => page.locator(".status").textContent()).toContain("Saved as v1");
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toContain("Acme Cloud");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("adds, reorders (buttons, keyboard, drag and drop), duplicates, collapses and disables sections", async () => {
    const { page, errors } = await newPage();
    await openStarter(page, "blank");
    expect(await sectionTitles(page)).toEqual(["Role", "Task"]);

    await page.getByRole("button", { name: "Add Context section" }).click();
    expect(await sectionTitles(page)).toEqual(["Role", "Task", "Context"]);
    await editor(page, "Template for Context").fill("Our product is a CLI for backups.");
    await editor(page, "Template for Task").fill("Write release notes.");
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toContain("Our product is a CLI for backups.");

    await page.getByRole("button", { name: "Move Context up" }).click();
    expect(await sectionTitles(page)).toEqual(["Role", "Context", "Task"]);
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toMatch(/backups\.\n\nWrite release notes\./);

    // Keyboard: Alt+ArrowDown on a focused control inside the section.
    await page.getByRole("button", { name: "Move Context down" }).focus();
    await page.keyboard.press("Alt+ArrowDown");
    expect(await sectionTitles(page)).toEqual(["Role", "Task", "Context"]);
    await expect.poll(() => page.locator('[role="status"].sr-only').textContent()).toContain("Context moved to position 3 of 3");

    // Drag and drop: Context onto the top half of Role.
    await page.getByRole("button", { name: /Reorder Context/ }).dragTo(page.locator(".section-card").first(), { targetPosition: { x: 200, y: 5 } });
    expect(await sectionTitles(page)).toEqual(["Context", "Role", "Task"]);

    await page.getByRole("button", { name: "Duplicate Task" }).click();
    expect(await sectionTitles(page)).toEqual(["Context", "Role", "Task", "Task (copy)"]);
    await page.getByRole("button", { name: "Remove Task (copy)" }).click();
    expect(await sectionTitles(page)).toEqual(["Context", "Role", "Task"]);

    await page.getByRole("button", { name: "Collapse Role" }).click();
    expect(await page.getByRole("button", { name: "Expand Role" }).getAttribute("aria-expanded")).toBe("false");

    await page.getByRole("switch", { name: "Include Context" }).uncheck();
    await expect.poll(async () => (await preview(page).textContent()) ?? "").not.toContain("backups");
    await page.getByRole("switch", { name: "Include Context" }).check();
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toContain("backups");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("detects variables, declares them, shows a missing-variable error with section and line, and fills values", async () => {
    const { page } = await newPage();
    await openStarter(page, "blank");
    await editor(page, "Template for Task").fill("Explain the topic.\nTopic: {{topic}}\n{{#if audience}}For {{audience}}.{{/if}}");
    // Undeclared: an error, and no output.
    await expect.poll(() => page.locator(".callout-error").first().textContent()).toContain('"topic" is used but not declared');
    expect(await preview(page).count()).toBe(0);
    await expect.poll(() => page.locator(".cm-hb-undeclared").count()).toBeGreaterThan(0);

    await page.getByRole("tab", { name: /Variables/ }).click();
    await page.getByRole("button", { name: "Declare all" }).click();
    // Declared and required, but without a value: the error names the section and the line.
    await page.getByRole("tab", { name: /Preview/ }).click();
    const err = page.locator(".callout-error").first();
    await expect.poll(() => err.textContent()).toContain("Task (section 2), line 2");
    await expect.poll(() => err.textContent()).toContain('"topic" is required but has no value');
    await screenshot(page, "builder-missing-variable");

    // "Go to" puts the cursor in the section's editor.
    await err.getByRole("button", { name: /Task \(section 2\), line 2/ }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Template for Task");

    await page.getByRole("tab", { name: /Variables/ }).click();
    await page.getByLabel("Preview value for topic").fill("vector clocks 🕰️");
    await page.getByRole("tab", { name: /Preview/ }).click();
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toContain("Topic: vector clocks 🕰️");
    expect(await preview(page).textContent()).not.toContain("For ");

    // "audience" is tested with {{#if}}, so it was declared optional; giving it a value shows the line.
    await page.getByRole("tab", { name: /Variables/ }).click();
    await page.getByLabel("Preview value for audience").fill("new engineers");
    await page.getByRole("tab", { name: /Preview/ }).click();
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toContain("For new engineers.");
    await page.context().close();
  });

  it("previews every target and copies and downloads the output", async () => {
    const { page } = await newPage();
    await openStarter(page, "ticket-classifier");
    await page.getByRole("tab", { name: "OpenAI" }).click();
    const openai = JSON.parse((await preview(page).textContent()) ?? "{}");
    expect(openai.model).toBe("gpt-4o-mini");
    expect(openai.messages[0].role).toBe("system");
    expect(openai.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user", "assistant", "user"]);
    await page.getByRole("tab", { name: "Anthropic" }).click();
    const anthropic = JSON.parse((await preview(page).textContent()) ?? "{}");
    expect(anthropic.system).toContain("You are a classifier");
    expect(anthropic.max_tokens).toBe(5);
    await page.keyboard.press("ArrowRight"); // roving focus between tabs
    await expect.poll(() => page.getByRole("tab", { name: ".prompt" }).getAttribute("aria-selected")).toBe("true");
    expect(await preview(page).textContent()).toContain('model: "openai/gpt-4o-mini"');
    await page.getByRole("tab", { name: "XML tags" }).click();
    expect(await preview(page).textContent()).toContain("<examples>\n<example>");

    await page.getByRole("button", { name: "Copy" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(await preview(page).textContent());
    await page.getByRole("tab", { name: "Markdown" }).click();
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("Control+Shift+C");
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain("## Examples");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
    expect(download.suggestedFilename()).toBe("classifier-with-few-shot-examples.md");
    await page.context().close();
  });

  it("validates model settings against the model and carries them into the request bodies", async () => {
    const { page } = await newPage();
    await openStarter(page, "summarise-text");
    await page.getByRole("tab", { name: /Model/ }).click();
    await page.getByLabel("max_tokens").fill("99999");
    await expect.poll(() => page.locator("#ms-max-err").textContent()).toContain("at most 32,768");
    await page.getByLabel("max_tokens").fill("300");
    await page.getByLabel("Temperature").fill("0.7");
    await page.getByLabel("Stop sequences").fill("END");
    await page.keyboard.press("Enter");
    await page.getByRole("tab", { name: /Preview/ }).click();
    await page.getByRole("tab", { name: "OpenAI" }).click();
    const body = JSON.parse((await preview(page).textContent()) ?? "{}");
    expect(body).toMatchObject({ model: "gpt-4.1-mini", temperature: 0.7, max_completion_tokens: 300, stop: ["END"] });
    // Claude Opus 5.5 fixes sampling: temperature is flagged.
    await page.getByRole("tab", { name: /Model/ }).click();
    await page.locator("#ms-model").selectOption("claude-opus-5-5");
    await expect.poll(() => page.locator("#ms-temperature-err").textContent()).toContain("does not accept temperature");
    await expect.poll(() => page.locator(".token-meter .badge").textContent()).toBe("estimate");
    await page.context().close();
  });

  it("keeps unsaved changes across a reload, saves new versions and reports a conflict", async () => {
    const { page, context } = await newPage();
    await page.goto(`${server.baseUrl}/prompts/new?starter=code-reviewer`);
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await page.locator("#meta-name").fill("Reviewer for conflicts");
    await page.getByRole("button", { name: "Create prompt" }).click();
    await page.waitForURL(/reviewer-for-conflicts\/edit\?saved=1/);
    const editUrl = `${server.baseUrl}/prompts/reviewer-for-conflicts/edit`;

    // Local draft: edit, reload, the change is restored.
    await editor(page, "Template for Task").fill("Review the code for bugs only.");
    await page.waitForTimeout(500);
    page.once("dialog", (d) => void d.accept());
    await page.goto(editUrl);
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await expect.poll(() => page.locator(".callout-info").textContent()).toContain("Restored unsaved changes");
    await expect.poll(() => editor(page, "Template for Task").textContent()).toBe("Review the code for bugs only.");

    // A second tab saves version 2 first.
    const other = await context.newPage();
    await other.goto(editUrl);
    await other.waitForSelector('.template-editor[data-editor="codemirror"]');
    await editor(other, "Template for Role").fill("You are a strict reviewer.");
    await other.getByRole("button", { name: "Save version" }).click();
    await other.waitForURL(/saved=2/);
    await expect.poll(() => other.locator(".status").textContent()).toContain("Saved as v2");
    // Sections keep their identity across versions (compare and merge rely on it).
    const { db } = createDb(server.databaseUrl);
    const keysOf = async (number: number) =>
      (
        await db.section.findMany({
          where: { version: { number, prompt: { slug: "reviewer-for-conflicts" } } },
          orderBy: { position: "asc" },
          select: { key: true },
        })
      ).map((x) => x.key);
    const v1Keys = await keysOf(1);
    expect(v1Keys.length).toBeGreaterThan(1);
    expect(await keysOf(2)).toEqual(v1Keys);
    await db.$disconnect();

    // This tab started from version 1: its save is refused with a clear message, nothing lost.
    await page.locator("#save-message").fill("Narrow the focus");
    await page.getByRole("button", { name: "Save version" }).click();
    await expect.poll(() => page.locator(".callout-error").first().textContent()).toContain("someone saved version 2 after you started editing version 1");
    expect(await editor(page, "Template for Task").textContent()).toBe("Review the code for bugs only.");
    // The refused draft is handed to the conflict view, which shows both changes.
    const conflictHref = await page.getByRole("link", { name: "Compare and merge…" }).getAttribute("href");
    expect(conflictHref).toMatch(/^\/prompts\/reviewer-for-conflicts\/conflict\/\w+$/);
    await other.goto(server.baseUrl + conflictHref);
    expect(await other.getByRole("region", { name: /Your changes/ }).innerText()).toContain("Review the code for bugs only.");
    expect(await other.getByRole("region", { name: /Saved in between/ }).innerText()).toContain("You are a strict reviewer.");
    await page.getByRole("button", { name: /Save mine on top of v2/ }).click();
    await page.getByRole("button", { name: "Save version" }).click();
    await page.waitForURL(/saved=3/);
    await expect.poll(() => page.locator(".builder-title .badge").textContent()).toBe("v3");
    await context.close();
  });

  it("asks before leaving with unsaved changes, and shows shortcut help on ?", async () => {
    const { page } = await newPage();
    await openStarter(page, "sql-generator");
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("?");
    await expect.poll(() => page.getByRole("dialog", { name: "Keyboard shortcuts" }).isVisible()).toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("dialog").isVisible()).toBe(false);

    await editor(page, "Template for Question").fill("Write one SQL query for: {{question}} (fast)");
    let asked = "";
    page.once("dialog", (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.getByRole("link", { name: "Library" }).click();
    await expect.poll(() => asked).toContain("unsaved changes");
    expect(page.url()).toContain("/prompts/new");
    await page.context().close();
  });

  it("is accessible (axe) and looks right in light, dark and at 375 px", async () => {
    for (const [name, opts] of [
      ["builder-light", { theme: "light" as const }],
      ["builder-dark", { theme: "dark" as const }],
      ["builder-375", { width: 375, height: 800, theme: "light" as const }],
      ["builder-375-dark", { width: 375, height: 800, theme: "dark" as const }],
    ] as const) {
      const { page } = await newPage(opts);
      await openStarter(page, "ticket-classifier");
      await page.waitForTimeout(300);
      await screenshot(page, name);
      const violations = await axeViolations(page);
      expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
      if (name === "builder-light") {
        await page.getByRole("tab", { name: /Variables/ }).click();
        await screenshot(page, "builder-variables");
        expect(await axeViolations(page)).toEqual([]);
        await page.getByRole("tab", { name: /Model/ }).click();
        expect(await axeViolations(page)).toEqual([]);
      }
      await page.context().close();
    }
    const { page } = await newPage();
    await page.goto(`${server.baseUrl}/prompts/new`);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
