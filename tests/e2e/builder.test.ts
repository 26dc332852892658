/**
 * The prompt builder in a real browser (Debian Chromium via playwright-core) against the
 * production build on a fresh seeded SQLite database.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import { axeViolations, screenshot } from "../support/browser";
import { editor, openPage, openStarter as openStarterAt, preview, useServerAndBrowser } from "../support/e2e";

const e2e = useServerAndBrowser();

const newPage = async (opts: { width?: number; height?: number; theme?: "light" | "dark" } = {}) => {
  const { page, context, problems } = await openPage(e2e, { ...opts, clipboard: true });
  return { page, context, errors: problems };
};
const openStarter = (page: Page, slug: string) => openStarterAt(page, e2e.server.baseUrl, slug);
const sectionTitles = (page: Page) =>
  page.locator(".section-title").evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));

describe("prompt builder", () => {
  it("offers starter templates and builds a prompt from one, then saves it", async () => {
    const { page, errors } = await newPage();
    await page.goto(`${e2e.server.baseUrl}/prompts/new`);
    const cards = page.locator(".starter-card");
    expect(await cards.count()).toBeGreaterThanOrEqual(9);
    await screenshot(page, "builder-gallery");
    await page.getByRole("link", { name: /Customer support reply/ }).click();
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await expect.poll(async () => (await preview(page).textContent()) ?? "").toContain("Priya");
    expect(await preview(page).textContent()).toContain("Duplicate charges");
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
    await expect
      .poll(async () => (await preview(page).textContent()) ?? "")
      .toContain("Our product is a CLI for backups.");

    await page.getByRole("button", { name: "Move Context up" }).click();
    expect(await sectionTitles(page)).toEqual(["Role", "Context", "Task"]);
    await expect
      .poll(async () => (await preview(page).textContent()) ?? "")
      .toMatch(/backups\.\n\nWrite release notes\./);

    // Keyboard: Alt+ArrowDown on a focused control inside the section.
    await page.getByRole("button", { name: "Move Context down" }).focus();
    await page.keyboard.press("Alt+ArrowDown");
    expect(await sectionTitles(page)).toEqual(["Role", "Task", "Context"]);
    await expect
      .poll(() => page.locator('[role="status"].sr-only').textContent())
      .toContain("Context moved to position 3 of 3");

    // Drag and drop: Context onto the top half of Role.
    await page
      .getByRole("button", { name: /Reorder Context/ })
      .dragTo(page.locator(".section-card").first(), { targetPosition: { x: 200, y: 5 } });
    expect(await sectionTitles(page)).toEqual(["Context", "Role", "Task"]);

    await page.getByRole("button", { name: "Duplicate Task" }).click();
    expect(await sectionTitles(page)).toEqual(["Context", "Role", "Task", "Task (copy)"]);
    await page.getByRole("button", { name: "Remove Task (copy)" }).click();
    expect(await sectionTitles(page)).toEqual(["Context", "Role", "Task"]);
    // The toast offers to undo the removal: the section comes back in its place.
    await page.locator(".toast").getByRole("button", { name: "Undo" }).click();
    expect(await sectionTitles(page)).toEqual(["Context", "Role", "Task", "Task (copy)"]);
    await expect.poll(() => page.locator(".toast").count()).toBe(0);
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
    await editor(page, "Template for Task").fill(
      "Explain the topic.\nTopic: {{topic}}\n{{#if audience}}For {{audience}}.{{/if}}",
    );
    // Undeclared: an error, and no output.
    await expect
      .poll(() => page.locator(".callout-error").first().textContent())
      .toContain('"topic" is used but not declared');
    expect(await preview(page).count()).toBe(0);
    await expect.poll(() => page.locator(".cm-hb-undeclared").count()).toBeGreaterThan(0);

    await page.getByRole("tab", { name: /Variables/ }).click();
    await page.getByRole("button", { name: "Declare all" }).click();
    // Declared and required, but without a value: the error names the section and the line.
    await page.getByRole("tab", { name: /Preview/ }).click();
    const err = page.locator(".callout-error").first();
    await expect.poll(() => err.textContent()).toContain("Task (section 2), line 2");
    // One problem (issue 9: counted once), listing its places: the value field and each use.
    await expect.poll(() => err.textContent()).toContain('"topic" is required — enter a value');
    expect(await err.locator(".callout-title").textContent()).toBe("1 problem stops this prompt from rendering");
    expect(await err.getByRole("button", { name: "Value of topic" }).count()).toBe(1);
    await screenshot(page, "builder-missing-variable");

    // "Go to" puts the cursor in the section's editor.
    await err.getByRole("button", { name: /Task \(section 2\), line 2/ }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
      .toBe("Template for Task");

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
    expect(openai.messages.map((m: { role: string }) => m.role)).toEqual([
      "system",
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
    ]);
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
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(await preview(page).textContent());
    // Only a removal can be undone.
    await expect.poll(() => page.locator(".toast").textContent()).toContain("Copied XML-tagged sections");
    expect(await page.locator(".toast button").count()).toBe(0);
    await page.getByRole("tab", { name: "Markdown" }).click();
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("Control+Shift+C");
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain("## Examples");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download" }).click(),
    ]);
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
    await page.goto(`${e2e.server.baseUrl}/prompts/new?starter=code-reviewer`);
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await page.locator("#meta-name").fill("Reviewer for conflicts");
    await page.getByRole("button", { name: "Create prompt" }).click();
    await page.waitForURL(/reviewer-for-conflicts\/edit\?saved=1/);
    // The URL changes before the edit page replaces the new-prompt page: typing earlier would go to
    // the page being left, whose draft is no longer kept.
    await page.getByRole("button", { name: "Save version" }).waitFor();
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    const editUrl = `${e2e.server.baseUrl}/prompts/reviewer-for-conflicts/edit`;

    // Local draft: edit, reload, the change is restored.
    await editor(page, "Template for Task").fill("Review the code for bugs only.");
    // The local draft is written after a pause in typing: reload only once it is stored.
    await expect
      .poll(() =>
        page.evaluate(() =>
          Object.keys(localStorage)
            .filter((k) => k.startsWith("pb:draft:"))
            .map((k) => localStorage.getItem(k))
            .join("\n"),
        ),
      )
      .toContain("Review the code for bugs only.");
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
    const { db } = createDb(e2e.server.databaseUrl);
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
    await expect
      .poll(() => page.locator(".callout-error").first().textContent())
      .toContain("someone saved version 2 after you started editing version 1");
    expect(await editor(page, "Template for Task").textContent()).toBe("Review the code for bugs only.");
    // The refused draft is handed to the conflict view, which shows both changes.
    const conflictHref = await page.getByRole("link", { name: "Compare and merge…" }).getAttribute("href");
    expect(conflictHref).toMatch(/^\/prompts\/reviewer-for-conflicts\/conflict\/\w+$/);
    await other.goto(e2e.server.baseUrl + conflictHref);
    expect(await other.getByRole("region", { name: /Your changes/ }).innerText()).toContain(
      "Review the code for bugs only.",
    );
    expect(await other.getByRole("region", { name: /Saved in between/ }).innerText()).toContain(
      "You are a strict reviewer.",
    );
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
    const backgrounds: Record<string, string> = {};
    for (const [name, opts] of [
      ["builder-light", { theme: "light" as const }],
      ["builder-dark", { theme: "dark" as const }],
      ["builder-375", { width: 375, height: 800, theme: "light" as const }],
      ["builder-375-dark", { width: 375, height: 800, theme: "dark" as const }],
    ] as const) {
      const { page } = await newPage(opts);
      await openStarter(page, "ticket-classifier");
      // Settled: the token meter has counted and the web fonts are in (the layout depends on both).
      // (The first count loads the tokenizer's encoding, ~1 MB: give it time on a busy machine.)
      await expect.poll(() => page.locator('[data-testid="input-tokens"]').count(), { timeout: 15_000 }).toBe(1);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await screenshot(page, name);
      const look = await page.evaluate(() => {
        const luminance = (css: string) => {
          const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
            const v = Number(c) / 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const bg = getComputedStyle(document.body).backgroundColor;
        const text = getComputedStyle(document.body).color;
        // Everything a user needs on a phone lies inside the viewport's width.
        const key = ["#meta-name", ".section-card", '[data-testid="preview-text"]', ".token-meter", "#save-message"];
        return {
          theme: document.documentElement.getAttribute("data-theme"),
          bg,
          bgLuminance: luminance(bg),
          textLuminance: luminance(text),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          outside: key.filter((sel) => {
            const el = document.querySelector(sel);
            if (!el) return true;
            const box = el.getBoundingClientRect();
            return box.width === 0 || box.left < 0 || box.right > document.documentElement.clientWidth + 0.5;
          }),
        };
      });
      expect(look.theme).toBe(opts.theme);
      expect(look.overflow, `${name}: horizontal scrolling`).toBeLessThanOrEqual(0);
      expect(look.outside, `${name}: cut off or missing`).toEqual([]);
      // Dark is dark and light is light, with text that stands out from either.
      if (opts.theme === "dark") expect(look.bgLuminance, `${name} background ${look.bg}`).toBeLessThan(0.1);
      else expect(look.bgLuminance, `${name} background ${look.bg}`).toBeGreaterThan(0.8);
      expect(
        (Math.max(look.bgLuminance, look.textLuminance) + 0.05) /
          (Math.min(look.bgLuminance, look.textLuminance) + 0.05),
      ).toBeGreaterThanOrEqual(7);
      backgrounds[name] = look.bg;
      const violations = await axeViolations(page);
      expect(
        violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
      ).toEqual([]);
      if (name === "builder-light") {
        await page.getByRole("tab", { name: /Variables/ }).click();
        await screenshot(page, "builder-variables");
        expect(await axeViolations(page)).toEqual([]);
        await page.getByRole("tab", { name: /Model/ }).click();
        expect(await axeViolations(page)).toEqual([]);
      }
      await page.context().close();
    }
    expect(backgrounds["builder-dark"]).not.toBe(backgrounds["builder-light"]);
    expect(backgrounds["builder-375-dark"]).toBe(backgrounds["builder-dark"]);
    // Control: the overflow measurement does see a layout that is too wide.
    const phone = await newPage({ width: 375, height: 800 });
    await openStarter(phone.page, "blank");
    await phone.page.evaluate(() => {
      document.querySelector(".section-card")!.setAttribute("style", "min-width: 600px");
    });
    expect(
      await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeGreaterThan(0);
    await phone.context.close();
    const { page } = await newPage();
    await page.goto(`${e2e.server.baseUrl}/prompts/new`);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
