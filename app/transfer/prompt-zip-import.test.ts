import { describe, expect, it } from "vitest";
import { promptZipFiles, ZIP_MANIFEST, type ZipPrompt } from "~/library/prompt-zip";
import { STARTER_TEMPLATES } from "~/prompt/starters";
import { toDotpromptSource } from "~/prompt/targets";
import { promptZipToBundle, zipIssuePaths } from "./prompt-zip-import";

const NOW = "2026-11-30T12:00:00.000Z";
const prompts = STARTER_TEMPLATES.slice(0, 3).map((s, i): ZipPrompt => ({
  slug: s.slug,
  name: s.name,
  description: s.description,
  folder: ["support/email", "support", "support"][i]!,
  tags: s.tags,
  headVersion: i + 2,
  labels: { production: 1 },
  draft:
    i === 0
      ? { ...s.draft, sections: [...s.draft.sections, { ...s.draft.sections[0]!, template: "{{> sign}}" }] }
      : s.draft,
}));
const snippets = [
  { name: "sign", description: "Sign-off", headVersion: 2, template: "— {{> inner}}" },
  { name: "inner", description: "", headVersion: 1, template: "the team" },
];
const asList = (files: Record<string, string>) => Object.entries(files).map(([path, text]) => ({ path, text }));

describe("a .prompt zip as a bundle", () => {
  it("takes slug, name and tags from the manifest, the folder from the path, versions and labels from neither", async () => {
    const files = promptZipFiles({ prompts, snippets, folder: "support" });
    const result = await promptZipToBundle(asList(files), new Map(), NOW);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const b = result.bundle;
    expect(b.prompts.map((p) => [p.slug, p.name, p.folder, p.tags, p.headVersion, p.labels])).toEqual(
      prompts.map((p) => [p.slug, p.name, p.folder, p.tags, 1, []]),
    );
    expect(b.folders.map((f) => f.path)).toEqual(["support", "support/email"]);
    expect(b.snippets.map((s) => [s.name, s.description, s.headVersion])).toEqual([
      ["inner", "", 1],
      ["sign", "Sign-off", 1],
    ]);
    // Each imported version exports to the same file, and pins what it includes, transitively.
    for (const [i, p] of b.prompts.entries()) {
      const v = p.versions[0]!;
      const path = result.sources!.prompts[i]!;
      expect(toDotpromptSource(v, { description: p.description })).toBe(files[path]);
    }
    expect(b.prompts[0]!.versions[0]!.pins.map((p) => [p.name, p.snippetVersion, p.template])).toEqual([
      ["inner", 1, "the team"],
      ["sign", 1, "— {{> inner}}"],
    ]);
  });

  it("without a manifest: slug from the file name, top-level folders from the path; pins this instance's snippets", async () => {
    const files = promptZipFiles({ prompts: prompts.slice(0, 1), snippets: [] });
    delete files[ZIP_MANIFEST];
    const renamed = asList(files).map((f) => ({ ...f, path: "Team Mail/Refund Reply.prompt" }));
    const result = await promptZipToBundle(renamed, new Map([["sign", { number: 4, template: "bye" }]]), NOW);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.bundle.prompts[0]).toMatchObject({ slug: "refund-reply", name: "Refund Reply", folder: "Team Mail" });
    expect(result.bundle.prompts[0]!.versions[0]!.pins).toEqual([
      { name: "sign", snippet: "sign", snippetVersion: 4, template: "bye" },
    ]);
  });

  it("a partial with the text this instance has keeps that version", async () => {
    const result = await promptZipToBundle(
      [{ path: "_sign.prompt", text: "bye" }],
      new Map([["sign", { number: 4, template: "bye" }]]),
      NOW,
    );
    expect(result.ok && result.bundle.snippets[0]!.versions.map((v) => v.number)).toEqual([4]);
  });

  it("refuses an unknown manifest, bad front matter and a snippet cycle, naming the entry", async () => {
    const unknown = await promptZipToBundle(
      [
        { path: ZIP_MANIFEST, text: JSON.stringify({ formatVersion: 2 }) },
        { path: "a.prompt", text: "hi" },
      ],
      new Map(),
      NOW,
    );
    expect(unknown).toMatchObject({ ok: false, status: 422, issues: [{ path: [ZIP_MANIFEST, "formatVersion"] }] });
    const yaml = await promptZipToBundle(
      [{ path: "d/bad.prompt", text: "---\nmodel: [unclosed\n---\nhi\n" }],
      new Map(),
      NOW,
    );
    expect(yaml).toMatchObject({ ok: false, status: 422, issues: [{ path: ["d/bad.prompt"] }] });
    const cycle = await promptZipToBundle(
      [
        { path: "_a.prompt", text: "{{> b}}" },
        { path: "_b.prompt", text: "{{> a}}" },
      ],
      new Map(),
      NOW,
    );
    expect(cycle.ok).toBe(false);
    expect(!cycle.ok && cycle.issues.map((i) => i.path.join("."))).toEqual(["_a.prompt", "_b.prompt"]);
    const empty = await promptZipToBundle([{ path: ZIP_MANIFEST, text: '{"formatVersion":1}' }], new Map(), NOW);
    expect(empty).toMatchObject({ ok: false, issues: [{ message: "holds no .prompt files" }] });
  });

  it("points bundle paths at entries", () => {
    expect(
      zipIssuePaths(
        [
          { path: ["prompts", 0, "versions", 0, "sections", 1], message: "m" },
          { path: ["snippets", 1, "versions"], message: "m" },
          { path: ["tags", 0, "name"], message: "m" },
        ],
        { prompts: ["x.prompt"], snippets: ["_a.prompt", "_b.prompt"] },
      ).map((i) => i.path),
    ).toEqual([["x.prompt", "sections", 1], ["_b.prompt"], [ZIP_MANIFEST, "tags", 0, "name"]]);
  });
});
