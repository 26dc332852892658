import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { parseDotprompt } from "~/prompt/dotprompt-import";
import { STARTER_TEMPLATES } from "~/prompt/starters";
import { toDotpromptSource } from "~/prompt/targets";
import { promptZip, promptZipFiles, ZIP_MANIFEST, type ZipPrompt } from "./prompt-zip";

const prompts = STARTER_TEMPLATES.slice(0, 3).map((s, i): ZipPrompt => ({
  slug: s.slug,
  name: s.name,
  description: s.description,
  folder: ["support/email", "support", ""][i]!,
  tags: s.tags,
  headVersion: i + 1,
  labels: i === 0 ? { production: 1 } : {},
  draft: s.draft,
}));
const snippets = [{ name: "sign", description: "Sign-off", headVersion: 2, template: "— The {{team}} team" }];

describe("a library as a zip of .prompt files", () => {
  it("lays prompts out in the folder tree, snippets as partials, and a manifest", () => {
    const files = unzipSync(promptZip({ prompts, snippets }));
    expect(Object.keys(files).sort()).toEqual(
      [
        `support/email/${prompts[0]!.slug}.prompt`,
        `support/${prompts[1]!.slug}.prompt`,
        `${prompts[2]!.slug}.prompt`,
        "_sign.prompt",
        ZIP_MANIFEST,
      ].sort(),
    );
    expect(strFromU8(files["_sign.prompt"]!)).toBe("— The {{team}} team");
    const manifest = JSON.parse(strFromU8(files[ZIP_MANIFEST]!)) as {
      formatVersion: number;
      prompts: Record<string, { version: number; labels: Record<string, number> }>;
    };
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.prompts[`support/email/${prompts[0]!.slug}.prompt`]).toMatchObject({
      version: 1,
      labels: { production: 1 },
    });
  });

  it("is the same bytes for the same library, and each file reads back to the same file", async () => {
    expect(promptZip({ prompts, snippets })).toEqual(promptZip({ prompts, snippets }));
    const files = promptZipFiles({ prompts, snippets });
    for (const p of prompts) {
      const path = Object.keys(files).find((f) => f.endsWith(`/${p.slug}.prompt`) || f === `${p.slug}.prompt`)!;
      const parsed = await parseDotprompt(files[path]!);
      expect(toDotpromptSource(parsed.draft, { description: parsed.description })).toBe(files[path]);
    }
  });

  it("a folder's zip has paths relative to the folder", () => {
    const files = promptZipFiles({ prompts: prompts.slice(0, 2), snippets: [], folder: "support" });
    expect(Object.keys(files).sort()).toEqual(
      [`email/${prompts[0]!.slug}.prompt`, `${prompts[1]!.slug}.prompt`, ZIP_MANIFEST].sort(),
    );
  });
});
