/**
 * The builder previews the whole dotprompt language (issue 9): {{role}}, {{history}}, {{media}},
 * {{section}}, object variables, snippet arguments and a snippet with a context, in every target tab, light, dark and 375 px wide
 * (screenshots in tests/.artifacts/template-language-*.png). The OpenAI body of a Claude prompt
 * shows its stand-in model warning.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createPrompt } from "~/models/prompt-store.server";
import { createSnippet } from "~/models/snippets.server";
import type { PromptDraft } from "~/prompt/draft";
import { TARGETS, TARGET_INFO } from "~/prompt/targets";
import { createDb } from "~/server/db.server";
import { screenshot } from "../support/browser";
import { openPage, preview, previewText, useServerAndBrowser } from "../support/e2e";

const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const draft: PromptDraft = {
  sections: [
    {
      kind: "system",
      title: "Role",
      template:
        "You help {{customer.name}} ({{customer.plan}} plan).\n{{> greeting name=customer.name}} {{> card customer}}",
      enabled: true,
      examples: [],
    },
    {
      kind: "task",
      title: "Task",
      template:
        '{{history}}\n{{role "user"}}\nLook at this: {{media url=photo contentType="image/png"}}\nWhat is wrong?\n{{section "output"}}',
      enabled: true,
      examples: [],
    },
  ],
  variables: [
    {
      name: "customer",
      type: "object",
      required: true,
      enumValues: [],
      description: "Who: the customer # (object)",
      fields: [
        { name: "name", type: "string", required: true, description: "" },
        { name: "plan", type: "string", required: true, description: "" },
      ],
      default: { name: "Ada", plan: "pro" },
    },
    {
      name: "conversation",
      type: "messages",
      required: false,
      enumValues: [],
      description: "",
      default: [
        { role: "user", content: "My router blinks red." },
        { role: "assistant", content: "Can you send a photo?" },
      ],
    },
    { name: "photo", type: "string", required: true, enumValues: [], description: "", default: PNG },
  ],
  modelSettings: { model: "claude-haiku-4-5", stop: [] },
};

describe("template language in the builder", () => {
  const e2e = useServerAndBrowser({ database: "sqlite", seed: false });

  beforeAll(async () => {
    const { db } = createDb(e2e.server.databaseUrl);
    await createSnippet(db, { name: "greeting", description: "", template: "Greet {{name}} warmly.", message: "" });
    await createSnippet(db, { name: "card", description: "", template: "Card: {{name}} / {{plan}}", message: "" });
    await createPrompt(db, {
      meta: { name: "Language tour", description: "", tags: [], folder: "" },
      draft,
    });
    await db.$disconnect();
  });

  const tab = (page: Page, short: string) => page.getByRole("tab", { name: short, exact: true });

  for (const theme of ["light", "dark"] as const) {
    it(`previews role, history, media, objects and snippet arguments in every tab (${theme})`, async () => {
      const { page, problems } = await openPage(e2e, { theme });
      await page.goto(`${e2e.server.baseUrl}/prompts/language-tour/edit`);
      await page.waitForSelector('.template-editor[data-editor="codemirror"]');
      await expect.poll(() => preview(page).count()).toBeGreaterThan(0);
      for (const target of TARGETS) {
        await tab(page, TARGET_INFO[target].short).click();
        await expect.poll(() => preview(page).count()).toBeGreaterThan(0);
        const text = await previewText(page);
        if (target === "plain") {
          expect(text).toContain("You help Ada (pro plan).\nGreet Ada warmly. Card: Ada / pro");
          expect(text).toContain("user: My router blinks red.");
          expect(text).toContain("[image: data:image/png;base64,");
          expect(text).toContain("What is wrong?\n[section: output]");
          expect(await page.getByTestId("target-warnings").textContent()).toMatch(/\[section: …\]/);
        }
        if (target === "openai") {
          const body = JSON.parse(text) as { model: string; messages: Array<{ role: string; content: unknown }> };
          expect(body.model).toBe("gpt-4o");
          expect(body.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
          expect(body.messages[3]!.content).toEqual([
            { type: "text", text: "Look at this: " },
            { type: "image_url", image_url: { url: PNG } },
            { type: "text", text: "\nWhat is wrong?" },
          ]);
          const warnings = await page.getByTestId("target-warnings").textContent();
          expect(warnings).toMatch(/uses GPT-4o \(gpt-4o\) in its place/);
          expect(warnings).toMatch(/\{\{section "output"\}\} marks a place Genkit fills/);
        }
        if (target === "anthropic") {
          const body = JSON.parse(text) as { model: string; system: string; messages: Array<{ content: unknown }> };
          expect(body.model).toBe("claude-haiku-4-5");
          expect(body.system).toBe("You help Ada (pro plan).\nGreet Ada warmly. Card: Ada / pro");
          expect(JSON.stringify(body.messages[2]!.content)).toContain('"type":"base64"');
          // Only the {{section}} place: no stand-in model for a Claude prompt.
          expect(await page.getByTestId("target-warnings").textContent()).toMatch(
            /an Anthropic request has no such place/,
          );
          expect(await page.getByTestId("target-warnings").textContent()).not.toMatch(/in its place/);
        }
        if (target === "dotprompt") {
          expect(text).toContain('"customer(object, Who: the customer # [object])":');
          expect(text).toContain('promptbuilder.history: "conversation"');
          expect(text).toContain('{{section "output"}}');
        }
        await screenshot(page, `template-language-${theme}-${target}`);
      }
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }

  it("fits 375 px wide and shows the variables panel with an object's fields", async () => {
    const { page, problems } = await openPage(e2e, { width: 375, height: 900 });
    await page.goto(`${e2e.server.baseUrl}/prompts/language-tour/edit`);
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await tab(page, TARGET_INFO.openai.short).click();
    await expect.poll(() => preview(page).count()).toBeGreaterThan(0);
    await screenshot(page, "template-language-375-openai");
    await page.getByRole("tab", { name: /Variables/ }).click();
    await page.locator(".var-details").first().locator("summary").click();
    expect(
      await page
        .locator("#var-0-fields")
        .inputValue()
        .catch(async () => page.locator("#var-0-fields").textContent()),
    ).toContain("name: string");
    await screenshot(page, "template-language-375-variables");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
