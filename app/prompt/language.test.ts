/**
 * The template language the app supports and what it refuses (issue 9 §2, §4, §6; README
 * "Template language"). Each refusal is an error at its line, never a silent drop.
 */
import { describe, expect, it } from "vitest";
import type { Section, Variable } from "./draft";
import { promptDraftSchema } from "./draft";
import { groupAsIssue, groupIssues } from "./issues";
import { renderDraft } from "./render";
import { renderTarget } from "./targets";

const sec = (template: string, extra: Partial<Section> = {}): Section => ({
  kind: "task",
  title: "Task",
  template,
  enabled: true,
  examples: [],
  ...extra,
});
const v = (name: string, type: Variable["type"] = "string", extra: Partial<Variable> = {}): Variable => ({
  name,
  type,
  required: true,
  enumValues: [],
  description: "",
  ...extra,
});
const errorsOf = async (sections: Section[], variables: Variable[] = [], values: Record<string, unknown> = {}) =>
  (await renderDraft({ sections, variables }, { values })).issues.filter((i) => i.severity === "error");

describe("refused, at their line (issue 9 §2)", () => {
  it.each([
    ["{{@state.step}}", /session state/],
    ["{{@auth.uid}}", /auth context/],
    ["{{@foo}}", /"@foo" is not something a template can read/],
    ['{{section "two words"}}', /no spaces/],
    ["{{section name}}", /one name in quotes/],
    ['{{#section "output"}}dropped{{/section}}', /not a block/],
    ['{{#role "user"}}dropped{{/role}}', /not a block/],
    ['{{role "assistant"}}', /"system", "user" or "model".*"assistant" is not one/],
    ["{{role who}}", /written in quotes/],
    ['{{media contentType="image/png"}}', /needs url=/],
    ['{{media url=x size="big"}}', /not size=/],
  ])("%s", async (tag, message) => {
    const errors = await errorsOf([sec(`line one\n${tag}`)], [v("x"), v("who")], { x: "u", who: "user" });
    const refused = errors.find((e) => e.code === "refused");
    expect(refused, JSON.stringify(errors)).toMatchObject({ line: 2, sectionIndex: 0 });
    expect(refused!.message).toMatch(message);
  });

  it("{{history}} needs a messages variable; only one may exist", async () => {
    const errors = await errorsOf([sec("{{history}}")]);
    expect(errors[0]).toMatchObject({ line: 1, code: "undeclared" });
    expect(errors[0]!.message).toMatch(/declare a variable of type messages/);
    const two = promptDraftSchema.safeParse({ variables: [v("a", "messages"), v("b", "messages")] });
    expect(two.success).toBe(false);
  });

  it("{{role}} and {{history}} cannot be used inside an example row", async () => {
    const errors = await errorsOf([
      sec("", { kind: "examples", examples: [{ input: 'q{{role "model"}}a', output: "ok" }] }),
    ]);
    expect(errors[0]).toMatchObject({ code: "refused", path: ["sections", 0, "examples", 0, "input"] });
  });
});

describe("snippets with hash arguments (issue 9 §2)", () => {
  it("regression: {{> greeting name=username}} reads username, not an undeclared name", async () => {
    const r = await renderDraft(
      { sections: [sec("{{> greeting name=username}}")], variables: [v("username")] },
      { values: { username: "Ada" }, partials: { greeting: "Hello, {{name}} ({{@root.username}})" } },
    );
    expect(r.issues).toEqual([]);
    expect(r.sections[0]!.text).toBe("Hello, Ada (Ada)");
  });

  it("a snippet's other names are still the prompt's variables", async () => {
    const r = await renderDraft(
      { sections: [sec("{{> greeting name=username}}")], variables: [v("username")] },
      { values: { username: "A" }, partials: { greeting: "{{name}} {{team}}" } },
    );
    expect(r.issues.find((i) => i.code === "undeclared")).toMatchObject({ variable: "team", partial: "greeting" });
  });
});

describe("object variables and typed lists", () => {
  const customer = v("customer", "object", {
    fields: [
      { name: "name", type: "string", required: true, description: "" },
      { name: "age", type: "number", required: false, description: "" },
    ],
  });

  it("reads declared fields and refuses undeclared ones", async () => {
    const r = await renderDraft(
      { sections: [sec("{{customer.name}} is {{customer.age}}")], variables: [customer] },
      { values: { customer: { name: "Ada", age: 36 } } },
    );
    expect(r.sections[0]!.text).toBe("Ada is 36");
    const errors = await errorsOf([sec("{{customer.email}}")], [customer], { customer: { name: "Ada" } });
    expect(errors[0]!.message).toMatch(/has no field "email" — its fields are name, age/);
  });

  it("checks values field by field", async () => {
    const errors = await errorsOf([sec("{{customer.name}}")], [customer], { customer: { name: 1 } });
    expect(errors[0]!.message).toMatch(/field "name" must be a string, got the number 1/);
    const list = v("scores", "list", { itemType: "number" });
    const e2 = await errorsOf([sec("{{#each scores}}{{this}}{{/each}}")], [list], { scores: [1, "two"] });
    expect(e2[0]!.message).toMatch(/item 2 must be a number/);
  });

  it("printing a whole object is an error that says what to write", async () => {
    const errors = await errorsOf([sec("{{customer}}")], [customer], { customer: { name: "A" } });
    expect(errors[0]!.message).toMatch(/\[object Object\].*\{\{json customer\}\}/);
  });
});

describe("few-shot examples (issue 9 §4)", () => {
  it("regression: variables in example rows are rendered and checked like any other use", async () => {
    const examples = [{ input: "About {{product}}", output: "ok" }];
    const errors = await errorsOf([sec("", { kind: "examples", examples })]);
    expect(errors[0]).toMatchObject({
      code: "undeclared",
      variable: "product",
      path: ["sections", 0, "examples", 0, "input"],
    });
    const r = await renderDraft(
      { sections: [sec("Intro", { kind: "examples", examples }), sec("Task")], variables: [v("product")] },
      { values: { product: "router" } },
    );
    expect(r.sections[0]!.examples).toEqual([{ input: "About router", output: "ok" }]);
    expect(r.conversation!.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(r.conversation![1]).toEqual({ role: "user", content: [{ text: "About router" }] });
    expect(
      renderTarget("plain", r, { sections: [], variables: [], modelSettings: { model: "gpt-4o", stop: [] } }).text,
    ).toBe("Intro\n\nInput: About router\nOutput: ok\n\nTask");
  });
});

describe("media and history in the text targets", () => {
  it("media is a visible placeholder; history messages are listed", async () => {
    const r = await renderDraft(
      {
        sections: [sec('See {{media url="https://e.x/a.png"}} and\n{{history}}\nnow')],
        variables: [v("conv", "messages")],
      },
      { values: { conv: [{ role: "user", content: "hi" }] } },
    );
    expect(r.ok).toBe(true);
    expect(r.sections[0]!.text).toBe("See [image: https://e.x/a.png] and\n\nuser: hi\n\nnow");
  });
});

describe("{{section}} places (issue 9 §2, decision 092)", () => {
  const settings = { model: "gpt-4o", stop: [] as string[] };
  it("is dotprompt's pending part in the conversation, a placeholder in text, left out of vendor bodies with a warning", async () => {
    const draft = { sections: [sec('Answer.\n{{section "output"}}')], variables: [], modelSettings: settings };
    const r = await renderDraft(draft);
    expect(r.issues).toEqual([]);
    expect(r.conversation).toEqual([
      { role: "user", content: [{ text: "Answer." }, { metadata: { purpose: "output", pending: true } }] },
    ]);
    expect(r.sections[0]).toMatchObject({ text: "Answer.\n[section: output]", pending: ["output"] });
    const plain = renderTarget("plain", r, draft);
    expect(plain.text).toBe("Answer.\n[section: output]");
    expect(plain.warnings?.[0]).toMatch(/\{\{section "output"\}\} marks a place Genkit fills/);
    const openai = renderTarget("openai", r, draft);
    expect(openai.json).toMatchObject({ messages: [{ role: "user", content: "Answer." }] });
    expect(openai.warnings!.join(" ")).toMatch(/an OpenAI request has no such place/);
    const anthropic = renderTarget("anthropic", r, draft);
    expect(anthropic.json).toMatchObject({ messages: [{ role: "user", content: "Answer." }] });
    expect(anthropic.warnings!.join(" ")).toMatch(/an Anthropic request has no such place/);
    expect(renderTarget("dotprompt", r, draft).text).toContain('{{section "output"}}');
  });

  it("a message holding only the place is left out of the vendor bodies; no warning without a place", async () => {
    const draft = {
      sections: [sec("Be brief.", { kind: "system" }), sec('{{section "output"}}')],
      variables: [],
      modelSettings: settings,
    };
    const r = await renderDraft(draft);
    expect(r.conversation).toHaveLength(2);
    const openai = renderTarget("openai", r, draft);
    expect(openai.json).toMatchObject({ messages: [{ role: "system", content: "Be brief." }] });
    expect((openai.json as { messages: unknown[] }).messages).toHaveLength(1);
    const none = await renderDraft({ sections: [sec("Hi")], variables: [] });
    expect(renderTarget("plain", none, { ...draft, sections: [sec("Hi")] }).warnings).toBeUndefined();
  });
});

describe("problems counted once (issue 9 §6)", () => {
  it("regression: 3 missing values used in 6 places and a setting are 4 problems, each listing its places", async () => {
    const r = await renderDraft({
      sections: [sec("{{a}} {{b}}\n{{c}}"), sec("{{a}}\n{{b}} {{c}}", { title: "Second" })],
      variables: [v("a"), v("b"), v("c")],
    });
    const errors = r.issues.filter((i) => i.severity === "error");
    expect(errors.length).toBeGreaterThan(3); // one at each value field and each use
    const setting = {
      severity: "error" as const,
      code: "setting" as const,
      message: "x",
      path: ["modelSettings", "t"],
    };
    const groups = groupIssues([...errors, setting]);
    expect(groups).toHaveLength(4);
    const a = groupAsIssue(groups[0]!, [
      { title: "Task", kind: "task" },
      { title: "Second", kind: "task" },
    ]);
    expect(a).toEqual({
      path: ["values", "a"],
      message: '"a" is required — enter a value (at Task (section 1), line 1; Second (section 2), line 1)',
    });
  });
});

describe("snippets with a context argument (issue 9 §2)", () => {
  const customer = v("customer", "object", {
    fields: [
      { name: "name", type: "string", required: true, description: "" },
      { name: "plan", type: "string", required: false, description: "" },
    ],
  });
  const people = v("people", "list", { itemType: "object", fields: customer.fields });

  it("{{> card customer}}: the snippet's names are the object's fields, and render", async () => {
    const r = await renderDraft(
      { sections: [sec("{{> card customer}}")], variables: [customer] },
      { values: { customer: { name: "Ada", plan: "pro" } }, partials: { card: "{{name}} on {{plan}}" } },
    );
    expect(r.issues).toEqual([]);
    expect(r.sections[0]!.text).toBe("Ada on pro");
  });

  it("a name the object does not have is an error at the include, naming the snippet", async () => {
    const r = await renderDraft(
      { sections: [sec("Hi\n{{> card customer}}")], variables: [customer] },
      { values: { customer: { name: "Ada" } }, partials: { card: "{{name}} <{{email}}>" } },
    );
    const errors = r.issues.filter((i) => i.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "type-misuse", line: 2, partial: "card", variable: "customer" });
    expect(errors[0]!.message).toBe('"customer.email": "customer" has no field "email" — its fields are name, plan');
    expect(r.ok).toBe(false);
  });

  it("a context that is not an object is an error; a hash argument still wins over the context", async () => {
    const wrong = (
      await renderDraft(
        { sections: [sec("{{> card who}}")], variables: [v("who")] },
        { values: { who: "Ada" }, partials: { card: "{{name}}" } },
      )
    ).issues.filter((i) => i.severity === "error");
    expect(wrong[0]!.message).toMatch(/"who.name": "who" is a string and has no field "name"/);
    const r = await renderDraft(
      { sections: [sec('{{> card customer greeting="Hi"}}')], variables: [customer] },
      { values: { customer: { name: "Ada" } }, partials: { card: "{{greeting}} {{name}}" } },
    );
    expect(r.issues).toEqual([]);
    expect(r.sections[0]!.text).toBe("Hi Ada");
  });

  it("{{> card this}} inside {{#each people}} checks the items' fields; nested snippets follow the context", async () => {
    const ok = await renderDraft(
      { sections: [sec("{{#each people}}{{> card this}};{{/each}}")], variables: [people] },
      {
        values: { people: [{ name: "Ada" }, { name: "Alan" }] },
        partials: { card: "{{name}}{{> plan}}", plan: "{{#if plan}} ({{plan}}){{/if}}" },
      },
    );
    expect(ok.issues).toEqual([]);
    expect(ok.sections[0]!.text).toBe("Ada;Alan;");
    const bad = (
      await renderDraft(
        { sections: [sec("{{#each people}}{{> card this}}{{/each}}")], variables: [people] },
        { values: { people: [{ name: "Ada" }] }, partials: { card: "{{name}} {{age}}" } },
      )
    ).issues.filter((i) => i.severity === "error");
    expect(bad[0]!.message).toMatch(/the items of "people" have no field "age" — their fields are name, plan/);
  });

  it("a context the checker cannot follow is a warning that says so, not silence", async () => {
    const r = await renderDraft(
      { sections: [sec('{{> card (lookup customer "name")}}')], variables: [customer] },
      { values: { customer: { name: "Ada" } }, partials: { card: "{{this}}" } },
    );
    expect(r.issues.find((i) => i.code === "unchecked-context")?.message).toMatch(
      /passes a context the checker cannot follow/,
    );
  });
});

describe("a history variable without {{history}} (issue 9 §2)", () => {
  it("regression: says where the conversation goes and how to place it, not that it is unused", async () => {
    const r = await renderDraft(
      {
        sections: [sec("Be kind.", { kind: "system" }), sec("Answer {{q}}")],
        variables: [v("conv", "messages"), v("q")],
      },
      { values: { q: "why", conv: [{ role: "user", content: "hi" }] } },
    );
    expect(r.ok).toBe(true);
    expect(r.issues.find((i) => i.code === "unused")).toBeUndefined();
    expect(r.analysis.unused).not.toContain("conv");
    const w = r.issues.find((i) => i.variable === "conv");
    expect(w).toMatchObject({ severity: "warning", code: "history-unplaced", path: ["variables", 0, "name"] });
    expect(w!.message).toMatch(
      /no section says where it goes.*just before the final user message.*Write \{\{history\}\}/,
    );
    // What the warning says is what happens: before the final user message.
    expect(r.conversation!.map((m) => m.role)).toEqual(["system", "user", "user"]);
    expect(r.conversation![1]).toEqual({ role: "user", content: [{ text: "hi" }] });
    // With {{history}} placed, no warning.
    const placed = await renderDraft(
      { sections: [sec("{{history}}\nAnswer {{q}}")], variables: [v("conv", "messages"), v("q")] },
      { values: { q: "why", conv: [{ role: "user", content: "hi" }] } },
    );
    expect(placed.issues.filter((i) => i.variable === "conv")).toEqual([]);
  });
});
