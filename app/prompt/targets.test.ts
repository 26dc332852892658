import { Dotprompt } from "dotprompt";
import { describe, expect, it } from "vitest";
import type { ModelSettings, PromptDraft, Section } from "./draft";
import { renderDraft, type RenderedSection } from "./render";
import { STARTER_TEMPLATES } from "./starters";
import {
  escapeTemplateText,
  renderTarget,
  TARGETS,
  toAnthropicRequest,
  toChatTurns,
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

describe("chat bodies", () => {
  it("puts system sections in the system prompt, examples as turns, the rest in the last user message", () => {
    const { system, turns } = toChatTurns(sections);
    expect(system).toBe("You are terse.");
    expect(turns).toEqual([
      { role: "user", content: "2+2" },
      { role: "assistant", content: "4" },
      { role: "user", content: "Facts here.\n\nBe brief.\n\nAnswer: what is 3+3?" },
    ]);
  });

  it("OpenAI: system message first, settings carried over", () => {
    const body = toOpenAIRequest(sections, settings);
    expect(body.messages[0]).toEqual({ role: "system", content: "You are terse." });
    expect(body).toMatchObject({
      model: "gpt-4o",
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 256,
      stop: ["###"],
    });
  });

  it("OpenAI reasoning models take instructions as a developer message", () => {
    const body = toOpenAIRequest(sections, { model: "o3", stop: [] });
    expect(body.messages[0]!.role).toBe("developer");
    expect(body).not.toHaveProperty("temperature");
  });

  it("Anthropic: system apart from messages, max_tokens always present", () => {
    const body = toAnthropicRequest(sections, { model: "claude-haiku-4-5", temperature: 0.5, stop: ["</answer>"] });
    expect(body.system).toBe("You are terse.");
    expect(body.max_tokens).toBe(4096);
    expect(body.stop_sequences).toEqual(["</answer>"]);
    expect(body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    const noSystem = toAnthropicRequest([rs("task", "T", "hi")], {
      model: "claude-haiku-4-5",
      maxTokens: 10,
      stop: [],
    });
    expect(noSystem).not.toHaveProperty("system");
    expect(noSystem.max_tokens).toBe(10);
  });
});

describe("dotprompt source", () => {
  it("escapes literal braces in examples", () => {
    expect(escapeTemplateText('{"a": {{b}}}')).toBe('{"a": \\{{b}}}');
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
    expect(src).toContain('    q: "string, The question"');
    expect(src).toContain('    tone?(enum): ["a", "b"]');
    expect(src).toContain("    tags?(array, Tags): string");
    expect(src).toContain('  default:\n    tone: "a"');
  });

  const normalise = (s: string) => s.replace(/\s+/g, " ").trim();

  for (const starter of STARTER_TEMPLATES) {
    it(`${starter.slug}: the .prompt file renders in dotprompt to the same conversation`, async () => {
      const r = await renderDraft(starter.draft, { values: starter.sampleValues });
      const body = toOpenAIRequest(r.sections, starter.draft.modelSettings);
      const src = toDotpromptSource(starter.draft);
      const dp = new Dotprompt();
      const parsed = dp.parse(src);
      expect(parsed.model).toBe(
        `${starter.draft.modelSettings.model.startsWith("claude") ? "anthropic" : "openai"}/${starter.draft.modelSettings.model}`,
      );
      // dotprompt applies `input.default` from the metadata passed at render time (as Genkit does).
      const out = await dp.render(src, { input: starter.sampleValues }, { input: parsed.input });
      const got = out.messages.map((m) => ({
        role: m.role === "model" ? "assistant" : m.role,
        content: normalise(m.content.map((p) => p.text ?? "").join("")),
      }));
      const want = body.messages.map((m) => ({
        role: m.role === "developer" ? "system" : m.role,
        content: normalise(m.content),
      }));
      expect(got).toEqual(want);
    });
  }
});

describe("renderTarget", () => {
  it("produces every target, JSON ones parseable", async () => {
    const starter = STARTER_TEMPLATES[0]!;
    const r = await renderDraft(starter.draft, { values: starter.sampleValues });
    for (const t of TARGETS) {
      const out = renderTarget(t, r.sections, starter.draft);
      expect(out.text.length).toBeGreaterThan(50);
      if (t === "openai" || t === "anthropic") expect(JSON.parse(out.text)).toEqual(out.json);
    }
  });
});
