import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDotprompt } from "./dotprompt-import";
import { promptDraftSchema, SECTION_KINDS, type PromptDraft } from "./draft";
import { InvalidError } from "./errors";
import { STARTER_TEMPLATES } from "./starters";
import { toDotpromptSource } from "./targets";

async function roundTrip(draft: PromptDraft, description = "") {
  const first = toDotpromptSource(draft, { description });
  const parsed = await parseDotprompt(first);
  const second = toDotpromptSource(parsed.draft, { description: parsed.description });
  return { first, second, parsed };
}

describe("a .prompt file read back", () => {
  it.each(STARTER_TEMPLATES.map((s) => [s.slug, s] as const))(
    "starter %s: export → parse → export is identical",
    async (_slug, s) => {
      const { first, second, parsed } = await roundTrip(s.draft, s.description);
      expect(second).toBe(first);
      expect(parsed.description).toBe(s.description.trim());
      expect(parsed.draft.modelSettings).toEqual(s.draft.modelSettings);
    },
  );

  it("maps role blocks to sections, pairs to examples, Picoschema to typed variables, config to settings", async () => {
    const source = `---
description: "Answers support mail"
model: "anthropic/claude-haiku-4-5"
config:
  temperature: 0.3
  topP: 0.9
  maxOutputTokens: 400
  stopSequences: ["</answer>"]
promptbuilder.history: "chat"
input:
  schema:
    "tone(enum, How it sounds)": ["warm", "formal"]
    "count?": "number, How many"
    "tags?(array, Labels)": "string"
    "customer(object, Who writes)":
      "name": "string, Their name"
      "vip?": "boolean"
    "orders(array)":
      "id": "string"
      "total": "number"
  default:
    "count": 3
---
{{role "system"}}
{{! Role }}
You are a support agent.

{{! Examples }}
Answer like these.

{{role "user"}}
Where is my parcel?

{{role "model"}}
It is on its way.

{{role "user"}}
{{! Context }}
Orders: {{#each orders}}{{id}} {{/each}}

{{! Task }}
Reply to {{customer.name}} in a {{tone}} tone.

{{! Sign-off }}
Thanks!
`;
    const { draft, description, warnings } = await parseDotprompt(source);
    expect(description).toBe("Answers support mail");
    expect(warnings).toEqual([]);
    expect(draft.sections.map((s) => [s.kind, s.title])).toEqual([
      ["system", "Role"],
      ["examples", "Examples"],
      ["context", "Context"],
      ["task", "Task"],
      ["custom", "Sign-off"],
    ]);
    expect(draft.sections[1]!.examples).toEqual([{ input: "Where is my parcel?", output: "It is on its way." }]);
    expect(draft.sections[4]!.template).toBe("Thanks!");
    expect(draft.variables).toEqual([
      { name: "tone", type: "enum", required: true, enumValues: ["warm", "formal"], description: "How it sounds" },
      { name: "count", type: "number", required: false, default: 3, enumValues: [], description: "How many" },
      { name: "tags", type: "list", itemType: "string", required: false, enumValues: [], description: "Labels" },
      {
        name: "customer",
        type: "object",
        fields: [
          { name: "name", type: "string", required: true, description: "Their name" },
          { name: "vip", type: "boolean", required: false, description: "" },
        ],
        required: true,
        enumValues: [],
        description: "Who writes",
      },
      {
        name: "orders",
        type: "list",
        itemType: "object",
        fields: [
          { name: "id", type: "string", required: true, description: "" },
          { name: "total", type: "number", required: true, description: "" },
        ],
        required: true,
        enumValues: [],
        description: "",
      },
      { name: "chat", type: "messages", required: true, enumValues: [], description: "" },
    ]);
    expect(draft.modelSettings).toEqual({
      model: "claude-haiku-4-5",
      temperature: 0.3,
      topP: 0.9,
      maxTokens: 400,
      stop: ["</answer>"],
    });
  });

  it("reads a file without title comments or roles: one task section", async () => {
    const { draft } = await parseDotprompt("---\nmodel: googleai/gemini-2.0-flash\n---\nSummarise {{text}}.\n");
    expect(draft.sections).toEqual([
      { kind: "task", title: "Task", template: "Summarise {{text}}.", enabled: true, examples: [] },
    ]);
    expect(draft.variables).toEqual([]);
    expect(draft.modelSettings.model).toBe("gemini-2.0-flash");
  });

  it("accepts JSON Schema as well as Picoschema", async () => {
    const { draft } = await parseDotprompt(
      '---\ninput:\n  schema:\n    type: object\n    properties:\n      q: { type: string, description: "The question" }\n    required: [q]\n---\n{{q}}\n',
    );
    expect(draft.variables).toEqual([
      { name: "q", type: "string", required: true, enumValues: [], description: "The question" },
    ]);
  });

  it.each([
    ["bad YAML", "---\nmodel: [unclosed\n---\nHi\n", "file"],
    [
      "a variable name the builder cannot hold",
      '---\ninput:\n  schema:\n    "bad-name": string\n---\nHi\n',
      "variables",
    ],
    ["an oversized file", "x".repeat(1_000_001), "file"],
  ])("refuses %s with an issue naming where", async (_what, source, field) => {
    const error = await parseDotprompt(source).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).issues.map((i) => String(i.path[0]))).toContain(field);
  });

  it("round-trips generated drafts byte for byte (fast-check)", async () => {
    const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ,.]{0,20}[A-Za-z0-9.]$/);
    // Template text: lines without role markers or title comments at a line start, trimmed at both ends.
    const line = fc.stringMatching(/^[A-Za-z0-9 {}._,:!?-]{0,30}$/).filter((l) => !/^\{\{\s*(role|!)/.test(l));
    const template = fc
      .array(line, { minLength: 1, maxLength: 5 })
      .map((ls) => ls.join("\n").trim())
      .filter((t) => t !== "");
    const section = fc.record({
      kind: fc.constantFrom(...SECTION_KINDS),
      title: word,
      template,
      enabled: fc.boolean(),
      examples: fc.array(fc.record({ input: template, output: template }), { maxLength: 2 }),
    });
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
    const scalarVariable = fc.record({
      name,
      type: fc.constantFrom("string" as const, "number" as const, "boolean" as const),
      required: fc.boolean(),
      description: fc.option(word, { nil: undefined }).map((d) => d ?? ""),
      enumValues: fc.constant([] as string[]),
    });
    const enumVariable = fc.record({
      name,
      type: fc.constant("enum" as const),
      required: fc.boolean(),
      description: word,
      enumValues: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 4 }),
    });
    const listVariable = fc.record({
      name,
      type: fc.constant("list" as const),
      itemType: fc.constantFrom("string" as const, "number" as const, "boolean" as const),
      required: fc.boolean(),
      description: word,
      enumValues: fc.constant([] as string[]),
    });
    const objectVariable = fc.record({
      name,
      type: fc.constant("object" as const),
      fields: fc.uniqueArray(
        fc.record({
          name,
          type: fc.constantFrom("string" as const, "number" as const, "boolean" as const),
          required: fc.boolean(),
          description: word,
        }),
        { minLength: 1, maxLength: 3, selector: (f) => f.name },
      ),
      required: fc.boolean(),
      description: word,
      enumValues: fc.constant([] as string[]),
    });
    const draft = fc
      .record({
        sections: fc.array(section, { maxLength: 6 }),
        variables: fc.uniqueArray(fc.oneof(scalarVariable, enumVariable, listVariable, objectVariable), {
          maxLength: 5,
          selector: (v) => v.name,
        }),
        modelSettings: fc.record({
          model: fc.constantFrom("gpt-4o", "claude-haiku-4-5", "gpt-4o-mini"),
          temperature: fc.option(fc.constantFrom(0, 0.3, 1, 2), { nil: undefined }),
          maxTokens: fc.option(fc.integer({ min: 1, max: 8000 }), { nil: undefined }),
          stop: fc.array(fc.stringMatching(/^[a-z<>/]{1,6}$/), { maxLength: 2 }),
        }),
      })
      .map((d) => promptDraftSchema.parse(d));
    await fc.assert(
      fc.asyncProperty(draft, word, async (d, description) => {
        const { first, second } = await roundTrip(d, description);
        expect(second).toBe(first);
      }),
      { numRuns: 150 },
    );
  });
});
