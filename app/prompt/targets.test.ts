import { describe, expect, it } from "vitest";
import type { ModelSettings, PromptDraft, Section } from "./draft";
import { renderDraft, type RenderedSection } from "./render";
import { STARTER_TEMPLATES } from "./starters";
import {
  renderTarget,
  TARGETS,
  toAnthropicRequest,
  toDotpromptSource,
  toMarkdown,
  toOpenAIRequest,
  toPlainText,
  toXmlTagged,
  xmlTagFor,
} from "./targets";

const rs = (
  kind: Section["kind"],
  title: string,
  text: string | null,
  extra: Partial<RenderedSection> = {},
): RenderedSection => ({
  index: 0,
  kind,
  title,
  enabled: true,
  text,
  examples: [],
  ...extra,
});
const settings: ModelSettings = { model: "gpt-4o", temperature: 0.3, topP: 0.9, maxTokens: 256, stop: ["###"] };

const sections = [
  rs("system", "Role", "You are terse."),
  rs("context", "Background", "Facts here."),
  rs("examples", "Examples", "", { examples: [{ input: "2+2", output: "4" }] }),
  rs("custom", "Style guide ✨", "Be brief."),
  rs("task", "", "Answer: what is 3+3?"),
  rs("constraints", "Off", "hidden", { enabled: false }),
];

describe("text targets", () => {
  it("plain text joins section bodies and example pairs", () => {
    expect(toPlainText(sections)).toBe(
      "You are terse.\n\nFacts here.\n\nInput: 2+2\nOutput: 4\n\nBe brief.\n\nAnswer: what is 3+3?",
    );
  });

  it("markdown gives each section a heading (title or kind)", () => {
    const md = toMarkdown(sections);
    expect(md).toContain("## Role\n\nYou are terse.");
    expect(md).toContain("## Task\n\nAnswer");
    expect(md).toContain("### Example 1\n\n**Input**\n\n2+2\n\n**Output**\n\n4");
    expect(md).not.toContain("hidden");
  });

  it("XML tags sections by kind; custom sections by their title", () => {
    const xml = toXmlTagged(sections);
    expect(xml).toContain("<context>\nFacts here.\n</context>");
    expect(xml).toContain(
      "<examples>\n<example>\n<input>\n2+2\n</input>\n<output>\n4\n</output>\n</example>\n</examples>",
    );
    expect(xml).toContain("<style_guide>\nBe brief.\n</style_guide>");
    expect(xmlTagFor({ kind: "custom", title: "9 lives" })).toBe("section_9_lives");
    expect(xmlTagFor({ kind: "custom", title: "" })).toBe("section");
    expect(xmlTagFor({ kind: "custom", title: "Café notes" })).toBe("cafe_notes");
  });
});

const chatDraft: PromptDraft = {
  sections: [
    { kind: "system", title: "Role", template: "You are terse.", enabled: true, examples: [] },
    { kind: "context", title: "Background", template: "Facts here.", enabled: true, examples: [] },
    {
      kind: "examples",
      title: "Examples",
      template: "Here are examples:",
      enabled: true,
      examples: [{ input: "2+2", output: "4" }],
    },
    { kind: "custom", title: "Style guide ✨", template: "Be brief.", enabled: true, examples: [] },
    { kind: "task", title: "", template: "Answer: what is 3+3?", enabled: true, examples: [] },
    { kind: "constraints", title: "Off", template: "hidden", enabled: false, examples: [] },
  ],
  variables: [],
  modelSettings: settings,
};
const text = (t: string) => [{ text: t }];

describe("chat bodies", () => {
  it("system sections and the examples' intro in the system prompt, examples as turns, the rest in the last user message", async () => {
    const r = await renderDraft(chatDraft);
    expect(r.conversation).toEqual([
      { role: "system", content: text("You are terse.\n\nHere are examples:") },
      { role: "user", content: text("2+2") },
      { role: "assistant", content: text("4") },
      { role: "user", content: text("Facts here.\n\nBe brief.\n\nAnswer: what is 3+3?") },
    ]);
  });

  it("regression (issue 9 §4): the examples' intro never comes after the task", async () => {
    const r = await renderDraft(chatDraft);
    const last = r.conversation!.at(-1)!;
    expect(JSON.stringify(last)).not.toContain("Here are examples");
  });

  it("OpenAI: system message first, settings carried over", async () => {
    const { body, warnings } = toOpenAIRequest((await renderDraft(chatDraft)).conversation!, settings);
    expect(body.messages[0]).toEqual({ role: "system", content: "You are terse.\n\nHere are examples:" });
    expect(body).toMatchObject({
      model: "gpt-4o",
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 256,
      stop: ["###"],
    });
    expect(warnings).toEqual([]);
  });

  it("OpenAI reasoning models take instructions as a developer message", async () => {
    const { body } = toOpenAIRequest((await renderDraft(chatDraft)).conversation!, { model: "o3", stop: [] });
    expect(body.messages[0]!.role).toBe("developer");
    expect(body).not.toHaveProperty("temperature");
  });

  it("Anthropic: system apart from messages, max_tokens always present", async () => {
    const conversation = (await renderDraft(chatDraft)).conversation!;
    const { body } = toAnthropicRequest(conversation, {
      model: "claude-haiku-4-5",
      temperature: 0.5,
      stop: ["</answer>"],
    });
    expect(body.system).toBe("You are terse.\n\nHere are examples:");
    expect(body.max_tokens).toBe(4096);
    expect(body.stop_sequences).toEqual(["</answer>"]);
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    const { body: noSystem } = toAnthropicRequest([{ role: "user", content: text("hi") }], {
      model: "claude-haiku-4-5",
      maxTokens: 10,
      stop: [],
    });
    expect(noSystem).not.toHaveProperty("system");
    expect(noSystem.max_tokens).toBe(10);
  });

  it("regression (issue 9 §6): a body never carries another vendor's model id without a warning", async () => {
    const conversation = (await renderDraft(chatDraft)).conversation!;
    const claude: ModelSettings = { model: "claude-haiku-4-5", temperature: 0.5, stop: [] };
    const openai = toOpenAIRequest(conversation, claude);
    expect(openai.body.model).toBe("gpt-4o");
    expect(openai.warnings[0]).toMatch(/set for Claude.*uses GPT-4o \(gpt-4o\) in its place/);
    const anthropic = toAnthropicRequest(conversation, { model: "gpt-4o", temperature: 1.5, stop: [] });
    expect(anthropic.body.model).toMatch(/^claude-/);
    expect(anthropic.body).not.toHaveProperty("temperature"); // Anthropic's range ends at 1
    expect(anthropic.warnings.join(" ")).toMatch(/Left out .* temperature/);
    // renderTarget carries the warnings to the preview and the API.
    const r = await renderDraft(chatDraft);
    expect(renderTarget("openai", r, { ...chatDraft, modelSettings: claude }).warnings).toHaveLength(1);
    expect(renderTarget("anthropic", r, { ...chatDraft, modelSettings: claude }).warnings).toEqual([]);
  });

  it("media parts: image_url for OpenAI, url or base64 image blocks for Anthropic, a placeholder in text", async () => {
    const conversation = [
      {
        role: "user" as const,
        content: [
          { text: "Describe:" },
          { media: { url: "https://example.com/a.png", contentType: "image/png" } },
          { media: { url: "data:image/png;base64,iVBORw0KGgo=" } },
        ],
      },
    ];
    const { body: o } = toOpenAIRequest(conversation, { model: "gpt-4o", stop: [] });
    expect(o.messages[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "Describe:" },
        { type: "image_url", image_url: { url: "https://example.com/a.png" } },
        { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
      ],
    });
    const { body: a } = toAnthropicRequest(conversation, { model: "claude-haiku-4-5", stop: [] });
    expect(a.messages[0]!.content).toEqual([
      { type: "text", text: "Describe:" },
      { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
    ]);
  });
});

describe("dotprompt source", () => {
  it("regression (issue 9 §3): example text is written as is, so \\{{x}} stays escaped", () => {
    const src = toDotpromptSource({
      ...chatDraft,
      sections: [
        { kind: "examples", title: "", template: "", enabled: true, examples: [{ input: "\\{{x}}", output: "y" }] },
      ],
    });
    expect(src).toContain("\n\\{{x}}\n");
    expect(src).not.toContain("\\\\{{x}}");
  });

  it("writes front matter with model, config, Picoschema input and defaults", () => {
    const draft: PromptDraft = {
      sections: [{ kind: "task", title: "T", template: "{{q}}", enabled: true, examples: [] }],
      variables: [
        { name: "q", type: "text", required: true, enumValues: [], description: "The question" },
        { name: "tone", type: "enum", required: false, enumValues: ["a", "b"], description: "", default: "a" },
        { name: "tags", type: "list", required: false, enumValues: [], description: "Tags" },
      ],
      modelSettings: settings,
    };
    const src = toDotpromptSource(draft, { description: 'Say "hi"' });
    expect(src).toContain('description: "Say \\"hi\\""');
    expect(src).toContain('model: "openai/gpt-4o"');
    expect(src).toContain('config:\n  temperature: 0.3\n  topP: 0.9\n  maxOutputTokens: 256\n  stopSequences: ["###"]');
    expect(src).toContain('    "q": "string, The question"');
    expect(src).toContain('    "tone?(enum)": ["a", "b"]');
    expect(src).toContain('    "tags?(array, Tags)": "string"');
    expect(src).toContain('  default:\n    "tone": "a"');
  });
});

describe("renderTarget", () => {
  it("produces every target, JSON ones parseable", async () => {
    const starter = STARTER_TEMPLATES[0]!;
    const r = await renderDraft(starter.draft, { values: starter.sampleValues });
    for (const t of TARGETS) {
      const out = renderTarget(t, r, starter.draft);
      expect(out.text.length).toBeGreaterThan(50);
      if (t === "openai" || t === "anthropic") expect(JSON.parse(out.text)).toEqual(out.json);
    }
  });
});
