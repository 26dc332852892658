/**
 * Renaming a variable in the Variables panel offers to update its uses (issue 9 §6): `{{topic}}`,
 * `{{#each topic}}`-style blocks, `{{#if topic}}`, `{{topic.x}}`-style paths in every section and
 * example row become the new name in one change, the preview value follows, and one Undo puts the
 * old name back everywhere.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createPrompt } from "~/models/prompt-store.server";
import type { PromptDraft } from "~/prompt/draft";
import { createDb } from "~/server/db.server";
import { screenshot } from "../support/browser";
import { openPage, preview, previewText, useServerAndBrowser } from "../support/e2e";

const draft: PromptDraft = {
  sections: [
    { kind: "system", title: "Role", template: "You write about {{topic}}.", enabled: true, examples: [] },
    {
      kind: "examples",
      title: "Examples",
      template: "Here are examples:",
      enabled: true,
      examples: [{ input: "Tell me about {{topic}}", output: "{{#if topic}}Sure.{{/if}}" }],
    },
    {
      kind: "task",
      title: "Task",
      template: "Write one line on {{topic}} for {{#each readers}}{{this}} {{/each}}",
      enabled: true,
      examples: [],
    },
  ],
  variables: [
    { name: "topic", type: "string", required: true, enumValues: [], description: "", default: "tides" },
    { name: "readers", type: "list", required: true, enumValues: [], description: "", default: ["kids"] },
  ],
  modelSettings: { model: "gpt-4o", stop: [] },
};

const sectionTexts = (page: Page) =>
  page.locator(".template-editor .cm-content").evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText));

describe("renaming a variable updates its uses", () => {
  const e2e = useServerAndBrowser({ database: "sqlite", seed: false });

  beforeAll(async () => {
    const { db } = createDb(e2e.server.databaseUrl);
    await createPrompt(db, { meta: { name: "Rename tour", description: "", tags: [], folder: "" }, draft });
    await db.$disconnect();
  });

  it("offers, updates every section and example row as one change, and undoes it in one step", async () => {
    const { page, problems } = await openPage(e2e, { width: 1280, height: 900 });
    await page.goto(`${e2e.server.baseUrl}/prompts/rename-tour/edit`);
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await expect.poll(() => preview(page).count()).toBeGreaterThan(0);
    await page.getByRole("tab", { name: /Variables/ }).click();

    const name = page.locator("#var-0-name");
    await name.fill("subject");
    await name.blur();
    const offer = page.getByRole("group", { name: "Update uses of topic" });
    await expect.poll(() => offer.count()).toBe(1);
    expect(await offer.textContent()).toMatch(/\{\{topic\}\} is still used in 4 places/);
    await screenshot(page, "variable-rename-offer");
    await offer.getByRole("button", { name: "Update 4 places" }).click();

    await expect
      .poll(() => sectionTexts(page))
      .toEqual([
        "You write about {{subject}}.",
        "Here are examples:",
        "Write one line on {{subject}} for {{#each readers}}{{this}} {{/each}}",
      ]);
    await expect
      .poll(() =>
        page
          .locator(".examples-editor textarea, .examples-editor input")
          .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value)),
      )
      .toEqual(["Tell me about {{subject}}", "{{#if subject}}Sure.{{/if}}"]);
    // Renders with no problem: the preview value moved to the new name.
    await page.getByRole("tab", { name: /Preview/ }).click();
    await expect.poll(() => previewText(page)).toContain("Write one line on tides for kids");
    expect(await page.locator(".callout-error").count()).toBe(0);

    // One Undo puts the old name back in the declaration and every use.
    await page.getByRole("button", { name: "Undo" }).click();
    await expect
      .poll(() => sectionTexts(page))
      .toEqual([
        "You write about {{topic}}.",
        "Here are examples:",
        "Write one line on {{topic}} for {{#each readers}}{{this}} {{/each}}",
      ]);
    await page.getByRole("tab", { name: /Variables/ }).click();
    expect(await page.locator("#var-0-name").inputValue()).toBe("topic");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("leaving the uses as they are renames the declaration only (the old name is then undeclared)", async () => {
    const { page, problems } = await openPage(e2e, { width: 375, height: 900 });
    await page.goto(`${e2e.server.baseUrl}/prompts/rename-tour/edit`);
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await page.getByRole("tab", { name: /Variables/ }).click();
    const name = page.locator("#var-0-name");
    await name.fill("subject");
    await name.blur();
    const offer = page.getByRole("group", { name: "Update uses of topic" });
    await expect.poll(() => offer.count()).toBe(1);
    await screenshot(page, "variable-rename-offer-375");
    await offer.getByRole("button", { name: "Leave them" }).click();
    expect(await offer.count()).toBe(0);
    expect((await sectionTexts(page))[0]).toBe("You write about {{topic}}.");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
