/**
 * What a model receives, in each target format: plain text, Markdown, XML-tagged sections,
 * OpenAI Chat Completions and Anthropic Messages request bodies, and the dotprompt `.prompt`
 * source. Pure functions of the rendered sections (or, for `.prompt`, of the draft itself).
 */
import type { Example, ModelSettings, PromptDraft, Section, SectionKind, Variable } from "./draft";
import { modelOrFallback, type ModelInfo } from "./models";
import { slugWords } from "./slug";
import type { RenderedSection } from "./render";

export const TARGETS = ["plain", "markdown", "xml", "openai", "anthropic", "dotprompt"] as const;
export type Target = (typeof TARGETS)[number];

export const TARGET_INFO: Record<Target, { label: string; short: string; extension: string; mime: string }> = {
  plain: { label: "Plain text", short: "Text", extension: "txt", mime: "text/plain" },
  markdown: { label: "Markdown", short: "Markdown", extension: "md", mime: "text/markdown" },
  xml: { label: "XML-tagged sections", short: "XML tags", extension: "xml.txt", mime: "text/plain" },
  openai: {
    label: "OpenAI Chat Completions request",
    short: "OpenAI",
    extension: "openai.json",
    mime: "application/json",
  },
  anthropic: {
    label: "Anthropic Messages request",
    short: "Anthropic",
    extension: "anthropic.json",
    mime: "application/json",
  },
  dotprompt: { label: "dotprompt .prompt file", short: ".prompt", extension: "prompt", mime: "text/plain" },
};

export const KIND_LABEL: Record<SectionKind, string> = {
  system: "System / role",
  context: "Context",
  task: "Task",
  examples: "Examples",
  constraints: "Constraints",
  output_format: "Output format",
  custom: "Custom",
};

const XML_TAG: Record<Exclude<SectionKind, "custom">, string> = {
  system: "role",
  context: "context",
  task: "task",
  examples: "examples",
  constraints: "constraints",
  output_format: "output_format",
};

type Part = Pick<RenderedSection, "kind" | "title" | "enabled" | "text" | "examples">;

function live(sections: readonly Part[]): Array<Part & { text: string }> {
  return sections.filter((s): s is Part & { text: string } => s.enabled && s.text !== null);
}

function heading(s: Pick<Part, "title" | "kind">): string {
  return s.title.trim() || KIND_LABEL[s.kind];
}

/** A tag name for a section: its kind, or for custom sections its title in snake_case. */
export function xmlTagFor(s: Pick<Part, "title" | "kind">): string {
  if (s.kind !== "custom") return XML_TAG[s.kind];
  const slug = slugWords(s.title, "_");
  return /^[a-z_]/.test(slug) ? slug : slug ? `section_${slug}` : "section";
}

function join(parts: Array<string | null | undefined>, sep = "\n\n"): string {
  return parts.filter((p): p is string => !!p && p.trim() !== "").join(sep);
}

function plainExamples(examples: readonly Example[]): string {
  return join(examples.map((e) => `Input: ${e.input}\nOutput: ${e.output}`));
}

export function toPlainText(sections: readonly Part[]): string {
  return join(live(sections).map((s) => (s.kind === "examples" ? join([s.text, plainExamples(s.examples)]) : s.text)));
}

export function toMarkdown(sections: readonly Part[]): string {
  return join(
    live(sections).map((s) => {
      const body =
        s.kind === "examples"
          ? join([
              s.text,
              ...s.examples.map(
                (e, i) => `### Example ${i + 1}\n\n**Input**\n\n${e.input}\n\n**Output**\n\n${e.output}`,
              ),
            ])
          : s.text;
      return `## ${heading(s)}\n\n${body}`.trimEnd();
    }),
  );
}

export function toXmlTagged(sections: readonly Part[]): string {
  return join(
    live(sections).map((s) => {
      const tag = xmlTagFor(s);
      const body =
        s.kind === "examples"
          ? join(
              [
                s.text,
                ...s.examples.map(
                  (e) => `<example>\n<input>\n${e.input}\n</input>\n<output>\n${e.output}\n</output>\n</example>`,
                ),
              ],
              "\n",
            )
          : s.text;
      return `<${tag}>\n${body}\n</${tag}>`;
    }),
  );
}

export type ChatTurn = { role: "system" | "user" | "assistant"; content: string };

/**
 * The conversation both request bodies share: `system` sections become the system prompt;
 * examples become user/assistant turns (few-shot, the chat-native way); every other section, in
 * order, becomes the final user message.
 */
export function toChatTurns(sections: readonly Part[]): { system: string; turns: ChatTurn[] } {
  const parts = live(sections);
  const system = join(parts.filter((s) => s.kind === "system").map((s) => s.text));
  const turns: ChatTurn[] = [];
  for (const s of parts) {
    if (s.kind !== "examples") continue;
    for (const e of s.examples) {
      turns.push({ role: "user", content: e.input }, { role: "assistant", content: e.output });
    }
  }
  const user = join(parts.filter((s) => s.kind !== "system").map((s) => s.text));
  if (user) turns.push({ role: "user", content: user });
  return { system, turns };
}

/** Chat Completions request body (`POST /v1/chat/completions`). */
export type OpenAIChatRequest = {
  model: string;
  messages: Array<{ role: "system" | "developer" | "user" | "assistant"; content: string }>;
  temperature?: number;
  top_p?: number;
  max_completion_tokens?: number;
  stop?: string[];
};

/** Messages request body (`POST /v1/messages`): the system prompt apart from the messages. */
export type AnthropicMessagesRequest = {
  model: string;
  max_tokens: number;
  system?: string;
  messages: Array<{ role: "user" | "assistant"; content: string }>;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
};

export function toOpenAIRequest(
  sections: readonly Part[],
  settings: ModelSettings,
  model: ModelInfo = modelOrFallback(settings.model),
): OpenAIChatRequest {
  const { system, turns } = toChatTurns(sections);
  const systemRole = model.systemRole === "developer" ? "developer" : "system";
  const body: OpenAIChatRequest = {
    model: settings.model,
    messages: [
      ...(system ? [{ role: systemRole, content: system } as const] : []),
      ...turns.map((t) => ({ role: t.role, content: t.content })),
    ],
  };
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.maxTokens !== undefined) body.max_completion_tokens = settings.maxTokens;
  if (settings.stop.length) body.stop = [...settings.stop];
  return body;
}

export function toAnthropicRequest(
  sections: readonly Part[],
  settings: ModelSettings,
  model: ModelInfo = modelOrFallback(settings.model),
): AnthropicMessagesRequest {
  const { system, turns } = toChatTurns(sections);
  const body: AnthropicMessagesRequest = {
    model: settings.model,
    max_tokens: settings.maxTokens ?? model.defaultMaxTokens,
    ...(system ? { system } : {}),
    messages: turns.map((t) => ({ role: t.role === "assistant" ? "assistant" : "user", content: t.content })),
  };
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.stop.length) body.stop_sequences = [...settings.stop];
  return body;
}

// ---------------------------------------------------------------------------------------------
// dotprompt source

const yamlString = (s: string) => JSON.stringify(s);

function picoschemaLine(v: Variable): [string, string] {
  const key = `${v.name}${v.required ? "" : "?"}`;
  const desc = v.description.replace(/[\n\r]+/g, " ").trim();
  switch (v.type) {
    case "enum":
      return [
        `${key}(enum${desc ? `, ${desc.replace(/[(),]/g, " ")}` : ""})`,
        `[${v.enumValues.map(yamlString).join(", ")}]`,
      ];
    case "list":
      return [`${key}(array${desc ? `, ${desc.replace(/[(),]/g, " ")}` : ""})`, "string"];
    default: {
      const type = v.type === "text" ? "string" : v.type;
      return [key, yamlString(desc ? `${type}, ${desc}` : type)];
    }
  }
}

/** Literal text inside a template: `{{` must not open a tag. */
export function escapeTemplateText(text: string): string {
  return text.replace(/\{\{/g, "\\{{");
}

const GENKIT_PROVIDER: Record<ModelInfo["provider"], string> = { openai: "openai", anthropic: "anthropic" };

/**
 * A `.prompt` file for this draft: model and config in the front matter, the variable schema in
 * Picoschema, and a template whose `{{role}}` markers give the same conversation as the chat
 * bodies. Disabled sections are left out.
 */
export function toDotpromptSource(
  draft: Pick<PromptDraft, "sections" | "variables" | "modelSettings">,
  meta: { description?: string } = {},
): string {
  const settings = draft.modelSettings;
  const model = modelOrFallback(settings.model);
  const fm: string[] = ["---"];
  if (meta.description?.trim()) fm.push(`description: ${yamlString(meta.description.trim())}`);
  fm.push(`model: ${yamlString(`${GENKIT_PROVIDER[model.provider]}/${settings.model}`)}`);
  const config: string[] = [];
  if (settings.temperature !== undefined) config.push(`  temperature: ${settings.temperature}`);
  if (settings.topP !== undefined) config.push(`  topP: ${settings.topP}`);
  if (settings.maxTokens !== undefined) config.push(`  maxOutputTokens: ${settings.maxTokens}`);
  if (settings.stop.length) config.push(`  stopSequences: [${settings.stop.map(yamlString).join(", ")}]`);
  if (config.length) fm.push("config:", ...config);
  if (draft.variables.length) {
    fm.push("input:", "  schema:");
    for (const v of draft.variables) {
      const [k, val] = picoschemaLine(v);
      fm.push(`    ${k}: ${val}`);
    }
    const defaults = draft.variables.filter((v) => v.default !== undefined);
    if (defaults.length) {
      fm.push("  default:");
      for (const v of defaults) fm.push(`    ${v.name}: ${JSON.stringify(v.default)}`);
    }
  }
  fm.push("---");

  const enabled = draft.sections.filter((s) => s.enabled);
  const comment = (s: Section) => `{{! ${heading(s).replace(/}}/g, "")} }}`;
  const body: string[] = [];
  const system = enabled.filter((s) => s.kind === "system" && s.template.trim() !== "");
  if (system.length) body.push(`{{role "system"}}\n${system.map((s) => `${comment(s)}\n${s.template}`).join("\n\n")}`);
  for (const s of enabled.filter((x) => x.kind === "examples")) {
    for (const e of s.examples) {
      body.push(`{{role "user"}}\n${escapeTemplateText(e.input)}`, `{{role "model"}}\n${escapeTemplateText(e.output)}`);
    }
  }
  const user = enabled.filter((s) => s.kind !== "system" && s.template.trim() !== "");
  if (user.length) body.push(`{{role "user"}}\n${user.map((s) => `${comment(s)}\n${s.template}`).join("\n\n")}`);
  return `${fm.join("\n")}\n${body.join("\n\n")}\n`;
}

export type TargetOutput = { text: string; json?: unknown };

/** One target as text (JSON bodies pretty-printed), from rendered sections and the draft. */
export function renderTarget(
  target: Target,
  sections: readonly Part[],
  draft: Pick<PromptDraft, "sections" | "variables" | "modelSettings">,
  meta: { description?: string } = {},
): TargetOutput {
  switch (target) {
    case "plain":
      return { text: toPlainText(sections) };
    case "markdown":
      return { text: toMarkdown(sections) };
    case "xml":
      return { text: toXmlTagged(sections) };
    case "openai": {
      const json = toOpenAIRequest(sections, draft.modelSettings);
      return { text: JSON.stringify(json, null, 2), json };
    }
    case "anthropic": {
      const json = toAnthropicRequest(sections, draft.modelSettings);
      return { text: JSON.stringify(json, null, 2), json };
    }
    case "dotprompt":
      return { text: toDotpromptSource(draft, meta) };
  }
}
