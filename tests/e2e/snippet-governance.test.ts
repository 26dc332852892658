/**
 * Issue 9 in a browser against the production build: the snippet page's dependents and its
 * "not yet used" warning, the update-dependents review (light, dark, 375 px), and the library bulk
 * bar, which must start again from "Action…" after each action. Screenshots go to
 * tests/.artifacts/snippet-*.png.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import { moveLabel } from "~/models/labels.server";
import { createPrompt } from "~/models/prompt-store.server";
import { createSnippet, renameSnippet, saveSnippet } from "~/models/snippets.server";
import type { PromptDraft } from "~/prompt/draft";
import { axeViolations, screenshot } from "../support/browser";
import { LOOKS, openPage, useServerAndBrowser } from "../support/e2e";

const draft = (task: string): PromptDraft => ({
  sections: [{ kind: "task", title: "Task", template: task, enabled: true, examples: [] }],
  variables: [{ name: "customer", type: "string", required: true, default: "Ada", enumValues: [], description: "" }],
  modelSettings: { model: "gpt-4o", stop: [] },
});

describe("snippet governance in the browser", () => {
  const e2e = useServerAndBrowser({ database: "sqlite", seed: false });

  beforeAll(async () => {
    const { db } = createDb(e2e.server.databaseUrl);
    await createSnippet(db, { name: "sig", template: "Regards, the support team" });
    for (const name of ["Refund reply", "Shipping delay", "Welcome mail"]) {
      const { prompt } = await createPrompt(db, {
        meta: { name, description: "", folder: "support", tags: [] },
        draft: draft(`Write to {{customer}} about: ${name}.\n{{> sig}}`),
      });
      if (name !== "Welcome mail")
        await moveLabel(db, { promptId: prompt.id, name: "production", version: 1, actor: null, authEnabled: false });
    }
    await saveSnippet(db, {
      name: "sig",
      baseVersion: 1,
      input: { name: "sig", template: "Kind regards, {{agent_name}} from the support team" },
    });
    await db.$disconnect();
  }, 60_000);

  it("shows dependents, warns about labelled versions on an older snippet, and updates the chosen ones", async () => {
    for (const { theme, width } of LOOKS) {
      const { page, context, problems } = await openPage(e2e, { theme, width });
      await page.goto(`${e2e.server.baseUrl}/snippets/sig`);
      await page.getByTestId("snippet-lagging").waitFor();
      expect(await page.getByTestId("snippet-lagging").innerText()).toMatch(
        /Version 2 is not yet used by labelled versions: Refund reply v1 \(production\) pins v1; Shipping delay v1 \(production\) pins v1/,
      );
      expect(await page.getByTestId("snippet-dependent").count()).toBe(3);
      await screenshot(page, `snippet-page-${theme}-${width}`);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole("link", { name: "Update dependents…" }).click();
      await page.getByTestId("dependent-update").first().waitFor();
      expect(await page.getByTestId("dependent-update").count()).toBe(3);
      expect(await page.getByTestId("dependent-update").first().innerText()).toMatch(/agent_name/);
      await screenshot(page, `snippet-update-${theme}-${width}`);
      expect(await axeViolations(page)).toEqual([]);
      // No horizontal scroll at 375 px.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      expect(problems).toEqual([]);
      await context.close();
    }
    const { page, context } = await openPage(e2e);
    await page.goto(`${e2e.server.baseUrl}/snippets/sig/update`);
    // Problems are unchecked by default; choose one explicitly.
    await page.getByRole("checkbox", { name: /Welcome mail/ }).check();
    await page.getByRole("button", { name: "Create new versions for the selected prompts" }).click();
    await page.getByText("Created 1 new prompt version pinned to version 2. No label moved.").waitFor();
    await screenshot(page, "snippet-page-updated");
    await context.close();
  });

  it("the library bulk bar starts again from “Action…” after an action, so Apply never repeats it", async () => {
    const { page, context } = await openPage(e2e);
    await page.goto(`${e2e.server.baseUrl}/`);
    const rows = page.locator("[data-testid=library-row]");
    await rows.first().waitFor();
    await rows.nth(0).getByRole("checkbox").check();
    await page.locator("#bulk-op").selectOption("tag");
    await page.locator("#bulk-value").fill("vip");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("Tagged 1 prompt.").waitFor();
    await expect.poll(() => page.locator("#bulk-op").inputValue()).toBe("");
    expect(await page.locator("#bulk-value").inputValue()).toBe("");
    // Apply again with a new selection and no action: asks for one instead of tagging again.
    await rows.nth(1).getByRole("checkbox").check();
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("Choose what to do with the selection.").waitFor();
    const { db } = createDb(e2e.server.databaseUrl);
    expect(await db.promptTag.count()).toBe(1);
    await db.$disconnect();
    await context.close();
  });

  it("after a rename, the review says the new versions include the snippet by its new name, and they do", async () => {
    const { db } = createDb(e2e.server.databaseUrl);
    await createSnippet(db, { name: "tone", template: "Be brief." });
    const { prompt } = await createPrompt(db, {
      meta: { name: "Brief answer", description: "", folder: "", tags: [] },
      draft: draft("Answer {{customer}}. {{> tone}}"),
    });
    await renameSnippet(db, { name: "tone", newName: "voice" });
    await saveSnippet(db, { name: "voice", baseVersion: 1, input: { name: "voice", template: "Be brief and kind." } });
    for (const { theme, width } of LOOKS) {
      const { page, context, problems } = await openPage(e2e, { theme, width });
      await page.goto(`${e2e.server.baseUrl}/snippets/voice/update`);
      await page.getByTestId("dependent-renamed").waitFor();
      expect(await page.getByTestId("dependent-renamed").innerText()).toBe(
        "Includes it by its old name, {{> tone}}: the new version writes {{> voice}}.",
      );
      expect(await page.getByTestId("dependent-update").innerText()).toMatch(/kind/);
      await screenshot(page, `snippet-update-renamed-${theme}-${width}`);
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      expect(problems).toEqual([]);
      await context.close();
    }
    const { page, context } = await openPage(e2e);
    await page.goto(`${e2e.server.baseUrl}/snippets/voice/update`);
    await page.getByRole("button", { name: "Create new versions for the selected prompts" }).click();
    await page.getByText("Created 1 new prompt version pinned to version 2. No label moved.").waitFor();
    await context.close();
    const v2 = await db.promptVersion.findFirstOrThrow({
      where: { promptId: prompt.id, number: 2 },
      include: { sections: true },
    });
    expect(v2.sections[0]!.template).toBe("Answer {{customer}}. {{> voice}}");
    await db.$disconnect();
  });
});
