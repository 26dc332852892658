import { describe, expect, it } from "vitest";
import { bundleJsonSchema, jsonDepthExceeds, parseBundle, serializeBundle, type Bundle } from "./bundle";

const T = "2026-01-02T03:04:05.678Z";
const version = (
  number: number,
  template = "Hi {{name}}",
  pins: Bundle["prompts"][number]["versions"][number]["pins"] = [],
) => ({
  number,
  message: `v${number}`,
  author: null,
  createdAt: T,
  sections: [{ id: "s1", kind: "task" as const, title: "Task", template, enabled: true, examples: [] }],
  variables: [{ name: "name", type: "string" as const, required: true, enumValues: [], description: "" }],
  modelSettings: { model: "gpt-4o", stop: [] },
  pins,
});

function bundle(): Bundle {
  return {
    formatVersion: 1,
    folders: [{ path: "support", createdAt: T }],
    tags: [{ name: "email", createdAt: T }],
    snippets: [
      {
        name: "sign",
        description: "",
        headVersion: 1,
        createdAt: T,
        updatedAt: T,
        deletedAt: null,
        versions: [{ number: 1, template: "Regards", message: "", author: null, createdAt: T }],
      },
    ],
    prompts: [
      {
        slug: "reply",
        name: "Reply",
        description: "",
        folder: "support",
        tags: ["email"],
        favorite: false,
        visibility: "shared",
        owner: null,
        headVersion: 2,
        createdAt: T,
        updatedAt: T,
        deletedAt: null,
        testValues: { default: { name: "Ada" } },
        versions: [
          version(1),
          version(2, "Hi {{name}} {{> sign}}", [
            { name: "sign", snippet: "sign", snippetVersion: 1, template: "Regards" },
          ]),
        ],
        labels: [
          {
            name: "production",
            version: 1,
            protected: false,
            updatedAt: T,
            events: [{ from: null, to: 1, actor: "ada@example.com", at: T }],
          },
        ],
      },
    ],
  };
}

describe("parseBundle", () => {
  it("takes a well-formed bundle and serialises it the same way twice", () => {
    const r = parseBundle(JSON.parse(serializeBundle(bundle())));
    expect(r.ok).toBe(true);
    if (r.ok) expect(serializeBundle(r.bundle)).toBe(serializeBundle(bundle()));
  });

  it("refuses an unknown formatVersion, and a document without one", () => {
    const r = parseBundle({ ...bundle(), formatVersion: 2 });
    expect(r).toMatchObject({ ok: false, status: 422, issues: [{ path: ["formatVersion"] }] });
    expect(parseBundle({ prompts: [] })).toMatchObject({
      ok: false,
      error: expect.stringContaining("no formatVersion"),
    });
  });

  it("names the path of every schema problem", () => {
    const b: { prompts: Array<{ versions: Array<{ number: unknown }> }> } = JSON.parse(JSON.stringify(bundle()));
    b.prompts[0]!.versions[1]!.number = "two";
    const r = parseBundle(b);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toContainEqual(["prompts", 0, "versions", 1, "number"]);
  });

  it("refuses a snippet cycle, a label on a missing version and a duplicate slug", () => {
    const b = bundle();
    b.snippets.push({
      ...b.snippets[0]!,
      name: "a",
      versions: [{ ...b.snippets[0]!.versions[0]!, template: "{{> b}}" }],
    });
    b.snippets.push({
      ...b.snippets[0]!,
      name: "b",
      versions: [{ ...b.snippets[0]!.versions[0]!, template: "{{> a}}" }],
    });
    b.prompts[0]!.labels[0]!.version = 9;
    b.prompts.push(b.prompts[0]!);
    const r = parseBundle(b);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const messages = r.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n");
    expect(messages).toContain("snippets.1.versions: includes itself through {{> a}} → {{> b}} → {{> a}}");
    expect(messages).toContain("prompts.0.labels.0.version");
    expect(messages).toContain('prompts.1.slug: The slug "reply" appears twice');
  });

  it("refuses deep nesting before zod sees it, without a stack overflow", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonDepthExceeds(deep, 32)).toBe(true);
    expect(parseBundle({ formatVersion: 1, prompts: deep })).toMatchObject({ ok: false, status: 400 });
  });

  it("refuses unknown fields (a typo must not be dropped silently)", () => {
    const r = parseBundle({ ...bundle(), promtps: [] });
    expect(r.ok).toBe(false);
  });
});

describe("bundleJsonSchema", () => {
  it("is a draft 2020-12 schema naming the format version", () => {
    const s = bundleJsonSchema() as { $schema: string; properties: { formatVersion: unknown } };
    expect(s.$schema).toContain("2020-12");
    expect(s.properties.formatVersion).toMatchObject({ const: 1 });
  });
});
