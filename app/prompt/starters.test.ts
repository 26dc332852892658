import { describe, expect, it } from "vitest";
import { promptDraftSchema, promptMetaSchema } from "./draft";
import { getModel } from "./models";
import { renderDraft } from "./render";
import { validateModelSettings } from "./settings";
import { getStarter, STARTER_TEMPLATES } from "./starters";
import { TARGETS, renderTarget } from "./targets";

describe("starter templates", () => {
  it("offers at least 8 starters with unique slugs", () => {
    expect(STARTER_TEMPLATES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(STARTER_TEMPLATES.map((s) => s.slug)).size).toBe(STARTER_TEMPLATES.length);
    for (const s of STARTER_TEMPLATES) expect(s.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(getStarter("code-reviewer")?.name).toBe("Code reviewer");
  });

  it("covers the kinds of prompt practitioners start from", () => {
    const slugs = STARTER_TEMPLATES.map((s) => s.slug);
    for (const s of [
      "summarise-text",
      "support-reply",
      "ticket-classifier",
      "json-extraction",
      "code-reviewer",
      "sql-generator",
      "translate-with-glossary",
      "reasoning-final-answer",
    ]) {
      expect(slugs).toContain(s);
    }
    expect(
      STARTER_TEMPLATES.find((s) => s.slug === "ticket-classifier")!.draft.sections.some(
        (x) => x.kind === "examples" && x.examples.length >= 3,
      ),
    ).toBe(true);
  });

  for (const starter of STARTER_TEMPLATES) {
    describe(starter.slug, () => {
      it("is valid against the draft and meta schemas", () => {
        expect(promptDraftSchema.parse(starter.draft)).toEqual(starter.draft);
        promptMetaSchema.parse({
          name: starter.name,
          description: starter.description,
          tags: starter.tags,
          folder: starter.folder,
        });
        expect(getModel(starter.draft.modelSettings.model)).toBeDefined();
        expect(validateModelSettings(starter.draft.modelSettings)).toEqual([]);
      });

      it("renders every target without errors or warnings from its sample values", async () => {
        const r = await renderDraft(starter.draft, { values: starter.sampleValues });
        expect(r.issues).toEqual([]);
        expect(r.ok).toBe(true);
        for (const t of TARGETS) expect(renderTarget(t, r, starter.draft).text).not.toBe("");
        // Every required variable without a default has a sample value.
        for (const v of starter.draft.variables)
          if (v.required && v.default === undefined) expect(starter.sampleValues).toHaveProperty(v.name);
      });
    });
  }
});
