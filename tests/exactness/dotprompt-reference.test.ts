/**
 * Exactness against the reference (issue 9, decision 023): for every template the app accepts, the
 * `.prompt` export read by Google's `dotprompt` package — a fresh copy of it, with its own
 * Handlebars — and rendered with the same values (defaults from the export's front matter, the
 * history as dotprompt's `messages`) gives byte for byte the messages of our chat targets, after
 * the one normalisation both sides share (`normaliseMessages`). The front matter must be valid
 * YAML and Picoschema whatever names, descriptions and texts hold.
 */
import { createRequire } from "node:module";
import appHandlebars from "handlebars/dist/cjs/handlebars.js";
import type * as ReferenceModule from "dotprompt";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { historyToDotprompt, normaliseMessages, type DotpromptMessage, type HistoryEntry } from "~/prompt/conversation";
import type { PromptDraft, Section, Variable } from "~/prompt/draft";
import { renderDraft } from "~/prompt/render";
import { renderDraftTo } from "~/prompt/render-to";
import { STARTER_TEMPLATES } from "~/prompt/starters";
import { HISTORY_EXT_KEY, toAnthropicRequest, toDotpromptSource, toOpenAIRequest } from "~/prompt/targets";

// The reference: dotprompt and Handlebars loaded afresh, so nothing the app registers on its
// shared Handlebars (the budgeted `each`, snippets) can make both sides agree by accident.
const require = createRequire(import.meta.url);
for (const key of Object.keys(require.cache)) {
  if (/node_modules[\\/](handlebars|dotprompt)[\\/]/.test(key)) delete require.cache[key];
}
const reference = require("dotprompt") as typeof ReferenceModule;

type Case = {
  name: string;
  draft: Pick<PromptDraft, "sections" | "variables"> & Partial<Pick<PromptDraft, "modelSettings">>;
  values?: Record<string, unknown>;
  partials?: Record<string, string>;
};

const sec = (kind: Section["kind"], template: string, extra: Partial<Section> = {}): Section => ({
  kind,
  title: "",
  template,
  enabled: true,
  examples: [],
  ...extra,
});
const v = (name: string, type: Variable["type"], extra: Partial<Variable> = {}): Variable => ({
  name,
  type,
  required: true,
  enumValues: [],
  description: "",
  ...extra,
});
const field = (name: string, type: "string" | "number" | "boolean" = "string", required = true) => ({
  name,
  type,
  required,
  description: "",
});

const HOSTILE = "a: b # c \"quoted\" 'single' (paren), comma\nnext line — ünïcødé ✨ {{x}} \\{{y}} [z] &*!|>%@`";

const CASES: Case[] = [
  { name: "plain text", draft: { sections: [sec("task", "Say hello.")], variables: [] } },
  {
    name: "print a variable",
    draft: { sections: [sec("task", "Hello {{who}}!")], variables: [v("who", "string")] },
    values: { who: "Ada" },
  },
  {
    name: "no HTML escaping (dotprompt's noEscape), double and triple stash",
    draft: { sections: [sec("task", "{{x}} / {{{x}}}")], variables: [v("x", "string")] },
    values: { x: "<b>&\"'</b>" },
  },
  {
    name: "#if with else, true",
    draft: {
      sections: [sec("task", "{{#if formal}}Dear Sir{{else}}Hi{{/if}}, friend")],
      variables: [v("formal", "boolean")],
    },
    values: { formal: true },
  },
  {
    name: "#if with else, false, on standalone lines",
    draft: {
      sections: [sec("task", "Start\n{{#if formal}}\nDear Sir\n{{else}}\nHi\n{{/if}}\nEnd")],
      variables: [v("formal", "boolean")],
    },
    values: { formal: false },
  },
  {
    name: "else if chain",
    draft: {
      sections: [sec("task", "{{#if a}}A{{else if b}}B{{else}}C{{/if}}")],
      variables: [v("a", "boolean", { required: false }), v("b", "boolean")],
    },
    values: { b: true },
  },
  {
    name: "#unless",
    draft: { sections: [sec("task", "{{#unless done}}Still to do.{{/unless}}")], variables: [v("done", "boolean")] },
    values: { done: false },
  },
  {
    name: "#each over text with @index, @first, @last",
    draft: {
      sections: [
        sec("task", "{{#each items}}{{#if @first}}[{{/if}}{{@index}}={{this}}{{#if @last}}]{{else}}, {{/if}}{{/each}}"),
      ],
      variables: [v("items", "list")],
    },
    values: { items: ["a", "b", "c"] },
  },
  {
    name: "#each over numbers",
    draft: {
      sections: [sec("task", "{{#each n}}{{this}};{{/each}}")],
      variables: [v("n", "list", { itemType: "number" })],
    },
    values: { n: [1, 2.5, -3, 1e21] },
  },
  {
    name: "#each over booleans",
    draft: {
      sections: [sec("task", "{{#each flags}}{{#if this}}yes{{else}}no{{/if}} {{/each}}")],
      variables: [v("flags", "list", { itemType: "boolean" })],
    },
    values: { flags: [true, false, true] },
  },
  {
    name: "#each over objects with typed fields",
    draft: {
      sections: [sec("task", "{{#each people}}\n- {{name}} ({{age}}){{#if admin}} admin{{/if}}\n{{/each}}")],
      variables: [
        v("people", "list", {
          itemType: "object",
          fields: [field("name"), field("age", "number"), field("admin", "boolean", false)],
        }),
      ],
    },
    values: {
      people: [
        { name: "Ada", age: 36, admin: true },
        { name: "Alan", age: 41 },
      ],
    },
  },
  {
    name: "#each with block params and @root",
    draft: {
      sections: [sec("task", "{{#each items as |item i|}}{{i}}:{{item}} by {{@root.author}}\n{{/each}}")],
      variables: [v("items", "list"), v("author", "string")],
    },
    values: { items: ["x", "y"], author: "Grace" },
  },
  {
    name: "#each with else on an empty list",
    draft: {
      sections: [sec("task", "{{#each items}}{{this}}{{else}}(none){{/each}}")],
      variables: [v("items", "list", { required: false })],
    },
    values: {},
  },
  {
    name: "#each over an object's keys with @key",
    draft: {
      sections: [sec("task", "{{#each customer}}{{@key}}={{this}}\n{{/each}}")],
      variables: [v("customer", "object", { fields: [field("name"), field("tier")] })],
    },
    values: { customer: { name: "Ada", tier: "gold" } },
  },
  {
    name: "#with an object",
    draft: {
      sections: [sec("task", "{{#with customer}}{{name}} <{{email}}>{{/with}}")],
      variables: [v("customer", "object", { fields: [field("name"), field("email")] })],
    },
    values: { customer: { name: "Ada", email: "ada@example.com" } },
  },
  {
    name: "object variable fields {{customer.name}}",
    draft: {
      sections: [
        sec("task", "Customer: {{customer.name}}, {{customer.plan}}, since {{customer.since}}; vip={{customer.vip}}"),
      ],
      variables: [
        v("customer", "object", {
          fields: [field("name"), field("plan"), field("since", "number"), field("vip", "boolean")],
        }),
      ],
    },
    values: { customer: { name: "Ada", plan: "pro", since: 2019, vip: false } },
  },
  {
    name: "ifEquals with an enum",
    draft: {
      sections: [sec("task", '{{#ifEquals tone "formal"}}Dear customer,{{else}}Hey!{{/ifEquals}}')],
      variables: [v("tone", "enum", { enumValues: ["formal", "casual"] })],
    },
    values: { tone: "formal" },
  },
  {
    name: "unlessEquals",
    draft: {
      sections: [sec("task", '{{#unlessEquals lang "en"}}Answer in {{lang}}.{{/unlessEquals}}')],
      variables: [v("lang", "string")],
    },
    values: { lang: "fr" },
  },
  {
    name: "json helper on an object",
    draft: {
      sections: [sec("task", "Data: {{json order}}")],
      variables: [v("order", "object", { fields: [field("id", "number"), field("note")] })],
    },
    values: { order: { id: 7, note: 'say "hi"\nnow' } },
  },
  {
    name: "json helper with indent on a list",
    draft: { sections: [sec("task", "{{json tags indent=2}}")], variables: [v("tags", "list")] },
    values: { tags: ["a", "b"] },
  },
  {
    name: "whitespace control ~",
    draft: {
      sections: [sec("task", "Items:   {{~#each items~}}  [{{this}}]  {{~/each~}}   done")],
      variables: [v("items", "list")],
    },
    values: { items: ["1", "2"] },
  },
  {
    name: "whitespace control at a section's edges",
    draft: {
      sections: [sec("system", "{{~sys~}}"), sec("context", "\n\n  {{~ctx}}  \n"), sec("task", "{{task~}}\n\n")],
      variables: [v("sys", "string"), v("ctx", "string"), v("task", "string")],
    },
    values: { sys: "S", ctx: "C", task: "T" },
  },
  {
    name: "unicode, emoji, RTL, combining marks",
    draft: {
      sections: [sec("task", "Ünïcødé ✨ 🧑‍💻 שלום مرحبا e\u0301 {{x}} \u2028 end")],
      variables: [v("x", "string")],
    },
    values: { x: "日本語 😀" },
  },
  {
    name: "comments and escaped mustaches",
    draft: {
      sections: [sec("task", "{{! a comment }}Visible {{!-- a {{long}} comment --}}and \\{{not_a_var}} literal")],
      variables: [],
    },
  },
  {
    name: "CRLF line endings",
    draft: {
      sections: [sec("task", "Line 1\r\n{{#if x}}\r\nLine 2\r\n{{/if}}\r\nLine 3")],
      variables: [v("x", "boolean")],
    },
    values: { x: true },
  },
  {
    name: "blank lines and spaces around sections",
    draft: {
      sections: [sec("system", "\n\n  You are kind.  \n\n"), sec("context", "   \n"), sec("task", "\n\tDo it.\n")],
      variables: [],
    },
  },
  {
    name: "a section that renders empty between two",
    draft: {
      sections: [sec("context", "A"), sec("constraints", "{{#if x}}hidden{{/if}}"), sec("task", "B")],
      variables: [v("x", "boolean", { required: false })],
    },
    values: {},
  },
  {
    name: "disabled sections are left out",
    draft: {
      sections: [sec("system", "Sys"), sec("context", "{{never}}", { enabled: false }), sec("task", "T")],
      variables: [],
    },
  },
  {
    name: "hostile section titles (}} and newlines in comments)",
    draft: {
      sections: [sec("custom", "Body", { title: "Weird }} title\n{{#if}}" }), sec("task", "T", { title: "--- # : '" })],
      variables: [],
    },
  },
  {
    name: "defaults from the front matter: text, number, boolean, enum, list, object",
    draft: {
      sections: [
        sec(
          "task",
          "{{s}} {{n}} {{#if b}}B{{/if}} {{e}} {{#each l}}{{this}},{{/each}} {{o.k}} {{#each lo}}{{x}};{{/each}}",
        ),
      ],
      variables: [
        v("s", "string", { default: "dflt" }),
        v("n", "number", { default: 4.25 }),
        v("b", "boolean", { default: true }),
        v("e", "enum", { enumValues: ["p", "q"], default: "q" }),
        v("l", "list", { default: ["l1", "l2"] }),
        v("o", "object", { fields: [field("k")], default: { k: "ok" } }),
        v("lo", "list", { itemType: "object", fields: [field("x", "number")], default: [{ x: 1 }, { x: 2 }] }),
      ],
    },
    values: {},
  },
  {
    name: "hostile descriptions on every variable type (YAML and Picoschema stay valid)",
    draft: {
      sections: [
        sec(
          "task",
          "{{s}} {{t}} {{n}} {{#if b}}b{{/if}} {{e}} {{#each l}}{{this}}{{/each}} {{o.f}} {{#each lo}}{{g}}{{/each}}",
        ),
      ],
      variables: [
        v("s", "string", { description: HOSTILE }),
        v("t", "text", { description: HOSTILE, default: HOSTILE }),
        v("n", "number", { description: HOSTILE }),
        v("b", "boolean", { description: HOSTILE, required: false }),
        v("e", "enum", { enumValues: ["a: b", "# c", '"q"', "(p)", "ünï"], description: HOSTILE }),
        v("l", "list", { description: HOSTILE, required: false }),
        v("o", "object", { description: HOSTILE, fields: [{ ...field("f"), description: HOSTILE }] }),
        v("lo", "list", {
          itemType: "object",
          description: HOSTILE,
          fields: [{ ...field("g"), description: HOSTILE }],
        }),
      ],
    },
    values: { s: HOSTILE, n: 3, e: "(p)", o: { f: HOSTILE }, lo: [{ g: "1" }] },
  },
  {
    name: "role: a system section that switches to the user",
    draft: { sections: [sec("system", 'You are a bot.\n{{role "user"}}\nHello from the user.')], variables: [] },
  },
  {
    name: "role: a user section with a model turn and a user turn",
    draft: {
      sections: [sec("system", "Be brief."), sec("task", 'Q: 2+2?\n{{role "model"}}\n4\n{{role "user"}}\nQ: 3+3?')],
      variables: [],
    },
  },
  {
    name: "role: a system turn in the middle (Anthropic warns)",
    draft: { sections: [sec("task", 'First.\n{{role "system"}}\nNew rule.\n{{role "user"}}\nThen.')], variables: [] },
  },
  {
    name: "role inside #if",
    draft: {
      sections: [sec("task", '{{#if withPrefill}}Question?{{role "model"}}Answer: {{/if}}')],
      variables: [v("withPrefill", "boolean")],
    },
    values: { withPrefill: true },
  },
  {
    name: "history inserted where {{history}} stands",
    draft: {
      sections: [sec("system", "You are support."), sec("task", '{{history}}\n{{role "user"}}\nNew question: {{q}}')],
      variables: [v("conversation", "messages"), v("q", "string")],
    },
    values: {
      q: "And now?",
      conversation: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello! How can I help?" },
      ],
    },
  },
  {
    name: "history without {{history}}: dotprompt puts it before the last user message",
    draft: {
      sections: [sec("system", "S"), sec("task", "Last: {{q}}")],
      variables: [v("history_msgs", "messages"), v("q", "string")],
    },
    values: {
      q: "?",
      history_msgs: [
        { role: "user", content: "earlier" },
        { role: "assistant", content: "reply" },
      ],
    },
  },
  {
    name: "media by URL with a content type",
    draft: {
      sections: [
        sec("task", 'Describe this: {{media url="https://example.com/cat.png" contentType="image/png"}} please'),
      ],
      variables: [],
    },
  },
  {
    name: "media from a variable (data URI)",
    draft: {
      sections: [sec("task", "{{media url=photo}}\nWhat is in the picture?")],
      variables: [v("photo", "string")],
    },
    values: {
      photo:
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    },
  },
  {
    name: "media inside #each over objects",
    draft: {
      sections: [sec("task", '{{#each pics}}{{caption}}: {{media url=url contentType="image/jpeg"}}\n{{/each}}')],
      variables: [v("pics", "list", { itemType: "object", fields: [field("caption"), field("url")] })],
    },
    values: {
      pics: [
        { caption: "one", url: "https://e.x/1.jpg" },
        { caption: "two", url: "https://e.x/2.jpg" },
      ],
    },
  },
  {
    name: "section: output place at the end of the task (decision 092)",
    draft: { sections: [sec("task", 'Summarise the ticket.\n\n{{section "output"}}')], variables: [] },
  },
  {
    name: "section: context place between two lines, output place in another section",
    draft: {
      sections: [
        sec("context", 'Use these documents:\n{{section "context"}}\nCite them.'),
        sec("task", 'Answer {{q}}.\n{{section "output"}}'),
      ],
      variables: [v("q", "string")],
    },
    values: { q: "why" },
  },
  {
    name: "section: alone in a section, a message with only the place",
    draft: { sections: [sec("system", "Be brief."), sec("task", '{{section "output"}}')], variables: [] },
  },
  {
    name: "section: in a system section that switches to the user",
    draft: {
      sections: [sec("system", 'Rules.\n{{section "rules"}}\n{{role "user"}}\nHi {{section "user-docs"}} there')],
      variables: [],
    },
  },
  {
    name: "section: inside #if and #each, names with . - _",
    draft: {
      sections: [
        sec(
          "task",
          '{{#if withDocs}}{{section "context"}}{{/if}}{{#each parts}}[{{this}}]{{section "out.part_1-x"}}{{/each}}',
        ),
      ],
      variables: [v("withDocs", "boolean"), v("parts", "list")],
    },
    values: { withDocs: true, parts: ["a", "b"] },
  },
  {
    name: "section: next to media, and from a snippet",
    draft: {
      sections: [sec("task", 'Look {{media url="https://e.x/a.png"}} {{section "output"}} then\n{{> tail}}')],
      variables: [],
    },
    partials: { tail: 'Tail {{section "context"}} end' },
  },
  {
    name: "section: in an example row",
    draft: {
      sections: [
        sec("examples", "Here are examples:", {
          examples: [{ input: "Q1", output: 'A1 {{section "output"}}' }],
        }),
        sec("task", "Q2"),
      ],
      variables: [],
    },
  },
  {
    name: "snippet",
    draft: { sections: [sec("task", "Body.\n\n{{> sig}}")], variables: [v("agent", "string")] },
    values: { agent: "Sam" },
    partials: { sig: "Regards, {{agent}}" },
  },
  {
    name: "snippet with hash arguments (issue 9 §2)",
    draft: {
      sections: [sec("task", '{{> greeting name=username}} / {{> greeting name="Ada"}}')],
      variables: [v("username", "string")],
    },
    values: { username: "grace" },
    partials: { greeting: "Hello, {{name}}!" },
  },
  {
    name: "snippet with a context: {{> card customer}} and {{> card this}} in #each",
    draft: {
      sections: [sec("task", "{{> card customer}}\n{{#each people}}- {{> card this}}\n{{/each}}")],
      variables: [
        v("customer", "object", { fields: [field("name"), field("plan", "string", false)] }),
        v("people", "list", { itemType: "object", fields: [field("name"), field("plan", "string", false)] }),
      ],
    },
    values: { customer: { name: "Ada", plan: "pro" }, people: [{ name: "Alan" }, { name: "Grace", plan: "team" }] },
    partials: { card: "{{name}}{{#if plan}} ({{plan}}){{/if}}" },
  },
  {
    name: "nested snippets",
    draft: { sections: [sec("task", "{{> outer}}")], variables: [v("x", "string")] },
    values: { x: "X" },
    partials: { outer: "[{{> inner}}]", inner: "<{{x}}>" },
  },
  {
    name: "few-shot: intro before the pairs, rows with variables",
    draft: {
      sections: [
        sec("system", "Classify {{domain}} tickets."),
        sec("examples", "Here are examples:", {
          examples: [
            { input: "My {{product}} is broken", output: "bug" },
            { input: "How do I pay?", output: "billing" },
          ],
        }),
        sec("task", "Ticket: {{ticket}}"),
      ],
      variables: [v("domain", "string"), v("product", "string"), v("ticket", "text")],
    },
    values: { domain: "support", product: "router", ticket: "It will not start" },
  },
  {
    name: "examples with JSON and an escaped mustache (issue 9 §3)",
    draft: {
      sections: [
        sec("examples", "", {
          examples: [
            { input: 'Parse {"a": {"b": 1}}', output: '{"a": {"b": 1}}' },
            { input: "Literal \\{{x}} stays", output: "ok }} {" },
          ],
        }),
        sec("task", "Go"),
      ],
      variables: [],
    },
  },
  {
    name: "two examples sections and no task",
    draft: {
      sections: [
        sec("examples", "First set", { examples: [{ input: "a", output: "A" }] }),
        sec("examples", "Second set", { examples: [{ input: "b", output: "B" }] }),
      ],
      variables: [],
    },
  },
  {
    name: "lookup helper",
    draft: {
      sections: [sec("task", '{{lookup items 1}} / {{lookup customer "name"}}')],
      variables: [v("items", "list"), v("customer", "object", { fields: [field("name")] })],
    },
    values: { items: ["zero", "one"], customer: { name: "Ada" } },
  },
  {
    name: "every section kind in order",
    draft: {
      sections: [
        sec("context", "Ctx"),
        sec("system", "Sys 1"),
        sec("output_format", "JSON please"),
        sec("constraints", "No lies"),
        sec("custom", "Custom", { title: "Tone" }),
        sec("system", "Sys 2"),
        sec("task", "Task"),
      ],
      variables: [],
    },
  },
  {
    name: "optional variables left empty",
    draft: {
      sections: [sec("task", "{{#if note}}Note: {{note}}{{/if}}{{#each tags}}#{{this}} {{/each}}end")],
      variables: [v("note", "string", { required: false }), v("tags", "list", { required: false })],
    },
    values: {},
  },
];

const historyName = (c: Case) => c.draft.variables.find((x) => x.type === "messages")?.name;

async function referenceMessages(c: Case, source: string): Promise<DotpromptMessage[]> {
  const dp = new reference.Dotprompt({ partials: c.partials ?? {} });
  const parsed = dp.parse(source);
  const values = { ...(c.values ?? {}) };
  const hist = historyName(c);
  if (hist) {
    expect(parsed.raw?.[HISTORY_EXT_KEY]).toBe(hist);
    delete values[hist];
  }
  const history =
    hist && Array.isArray(c.values?.[hist]) ? historyToDotprompt(c.values![hist] as HistoryEntry[]) : undefined;
  const out = await dp.render(
    source,
    { input: values, ...(history ? { messages: history as never } : {}) },
    { input: parsed.input },
  );
  return out.messages as unknown as DotpromptMessage[];
}

/** The front matter is YAML (strictly parsed), its model and schema arrive, and Picoschema compiles. */
async function checkFrontMatter(c: Case, source: string) {
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(source)?.[1];
  expect(fm, "front matter").toBeDefined();
  const yaml = parseYaml(fm!, { strict: true, uniqueKeys: true }) as Record<string, unknown>;
  expect(typeof yaml.model).toBe("string");
  const dp = new reference.Dotprompt();
  const parsed = dp.parse(source);
  expect(parsed.model).toBe(yaml.model); // not "front matter read as template text"
  const inputs = c.draft.variables.filter((x) => x.type !== "messages");
  if (!inputs.length) return;
  const schema = (await reference.picoschema((parsed.input as { schema: unknown }).schema)) as {
    properties: Record<string, { description?: string; type?: unknown; enum?: unknown[]; items?: unknown }>;
    required?: string[];
  };
  for (const x of inputs) {
    const prop = schema.properties[x.name];
    expect(prop, x.name).toBeDefined();
    if (x.required) expect(schema.required).toContain(x.name);
    const flat = x.description.replace(/[\n\r]+/g, " ").trim();
    if (flat && (x.type === "string" || x.type === "text" || x.type === "number" || x.type === "boolean"))
      expect(prop!.description).toBe(flat);
    if (x.type === "enum") expect(prop!.enum?.filter((e) => e !== null)).toEqual(x.enumValues);
    for (const f of x.fields ?? []) {
      const props = (x.type === "object" ? prop : (prop!.items as typeof prop)) as {
        properties?: Record<string, unknown>;
      };
      expect(props.properties?.[f.name], `${x.name}.${f.name}`).toBeDefined();
    }
  }
  for (const x of inputs.filter((y) => y.default !== undefined))
    expect((parsed.input as { default: Record<string, unknown> }).default[x.name]).toEqual(x.default);
}

function full(c: Case): PromptDraft {
  return { modelSettings: { model: "gpt-4o", stop: [] }, ...c.draft };
}

const all: Case[] = [
  ...STARTER_TEMPLATES.map((s) => ({
    name: `starter ${s.slug}`,
    draft: s.draft,
    values: s.sampleValues as Record<string, unknown>,
  })),
  ...CASES,
];

describe("the reference is a separate copy of dotprompt", () => {
  it("does not share the app's Handlebars", () => {
    const dp = new reference.Dotprompt() as unknown as { handlebars: { helpers: Record<string, unknown> } };
    expect(dp.handlebars).not.toBe(appHandlebars);
    // The app wraps `each` to count loop output; the reference has Handlebars' own.
    expect(dp.handlebars.helpers.each).not.toBe(appHandlebars.helpers.each);
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });
});

describe("byte-exact against the reference dotprompt reading our .prompt export", () => {
  for (const c of all) {
    it(c.name, async () => {
      const draft = full(c);
      const r = await renderDraft(draft, { values: c.values ?? {}, partials: c.partials ?? {} });
      expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
      expect(r.ok).toBe(true);
      const source = toDotpromptSource(draft, { description: HOSTILE });
      await checkFrontMatter(c, source);
      const raw = await referenceMessages(c, source);
      const want = normaliseMessages(raw);
      expect(r.conversation).toEqual(want);
      // {{section}} places are dotprompt's pending parts, kept where the reference puts them
      // (decision 092), not dropped by the normalisation.
      const places = (ms: ReadonlyArray<{ content: ReadonlyArray<object> }>) =>
        ms.flatMap((m) => m.content.filter((p) => "metadata" in p && (p.metadata as { pending?: unknown }).pending));
      expect(places(want)).toEqual(places(raw));
      if (/\{\{section /.test(source)) expect(places(want).length).toBeGreaterThan(0);
      // Through the API's domain function: the bodies are built from exactly these messages.
      const api = await renderDraftTo(draft, "openai", c.values ?? {}, c.partials ?? {});
      expect(api.ok).toBe(true);
      expect(api.json).toEqual(toOpenAIRequest(want, draft.modelSettings).body);
      const apiA = await renderDraftTo(draft, "anthropic", c.values ?? {}, c.partials ?? {});
      expect(apiA.json).toEqual(toAnthropicRequest(want, draft.modelSettings).body);
    });
  }
});
