/**
 * What a model receives, in each target format: plain text, Markdown, XML-tagged sections,
 * OpenAI Chat Completions and Anthropic Messages request bodies, and the dotprompt `.prompt`
 * source. Pure functions of the rendered sections (or, for `.prompt`, of the draft itself).
 */
import { isPending, partsToText, promptBody, type ChatMessage, type ChatPart } from "./conversation";
import type { Example, ModelSettings, PromptDraft, SectionKind, Variable } from "./draft";
import { modelOrFallback, type ModelInfo } from "./models";
import { validateModelSettings } from "./settings";
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

type Part = Pick<RenderedSection, "kind" | "title" | "enabled" | "text" | "examples" | "pending">;

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

/** OpenAI content parts (`image_url` takes a URL or a data URI). */
type OpenAIPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

/** Chat Completions request body (`POST /v1/chat/completions`). */
export type OpenAIChatRequest = {
  model: string;
  messages: Array<
    | { role: "system" | "developer"; content: string }
    | { role: "user"; content: string | OpenAIPart[] }
    | { role: "assistant"; content: string }
  >;
  temperature?: number;
  top_p?: number;
  max_completion_tokens?: number;
  stop?: string[];
};

type AnthropicBlock =
  | { type: "text"; text: string }
  | {
      type: "image";
      source:
        | { type: "url"; url: string }
        | { type: "base64"; media_type: "image/jpeg" | "image/png" | "image/gif" | "image/webp"; data: string };
    };

/** Messages request body (`POST /v1/messages`): the system prompt apart from the messages. */
export type AnthropicMessagesRequest = {
  model: string;
  max_tokens: number;
  system?: string;
  messages: Array<{ role: "user" | "assistant"; content: string | AnthropicBlock[] }>;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
};

/** What a chat target is built from: the prompt's conversation and any warnings about it. */
export type ChatBody<T> = { body: T; warnings: string[] };

const DEFAULT_FOR_PROVIDER: Record<ModelInfo["provider"], string> = {
  openai: "gpt-4o",
  anthropic: "claude-sonnet-5-5",
};

/**
 * The model a vendor's body carries (decision 024): the prompt's model when it is that vendor's,
 * otherwise that vendor's default model, with a warning saying so and dropping settings the
 * stand-in refuses — never another vendor's id.
 */
function modelFor(
  provider: ModelInfo["provider"],
  settings: ModelSettings,
): { settings: ModelSettings; warnings: string[] } {
  const own = modelOrFallback(settings.model);
  if (own.provider === provider) return { settings, warnings: [] };
  const stand = DEFAULT_FOR_PROVIDER[provider];
  const vendor = provider === "openai" ? "OpenAI" : "Anthropic";
  const warnings = [
    `This prompt is set for ${own.label}; this ${vendor} request uses ${modelOrFallback(stand).label} (${stand}) in its place. Choose an ${vendor} model in Settings to send it as you mean it.`,
  ];
  const next: ModelSettings = { ...settings, model: stand };
  const dropped: string[] = [];
  for (const issue of validateModelSettings(next)) {
    if (issue.severity !== "error") continue;
    const field = String(issue.path[1]);
    if (field === "temperature" && next.temperature !== undefined) {
      next.temperature = undefined;
      dropped.push("temperature");
    } else if (field === "topP" && next.topP !== undefined) {
      next.topP = undefined;
      dropped.push("top_p");
    } else if (field === "maxTokens" && next.maxTokens !== undefined) {
      next.maxTokens = undefined;
      dropped.push("max tokens");
    } else if (field === "stop" && next.stop.length) {
      next.stop = [];
      dropped.push("stop sequences");
    }
  }
  if (dropped.length) warnings.push(`Left out because ${stand} refuses them with these values: ${dropped.join(", ")}.`);
  return { settings: next, warnings };
}

function textOf(m: ChatMessage): string {
  return partsToText(m.content);
}

const quoted = (names: readonly string[]) => [...new Set(names)].map((n) => `{{section "${n}"}}`).join(", ");

/**
 * A vendor's body has no place for a `{{section}}` (dotprompt's pending part, which only Genkit
 * fills): the messages without those parts (a message left empty is left out) and a warning
 * naming them (decision 092).
 */
function withoutPending(
  conversation: readonly ChatMessage[],
  vendor: string,
): { messages: ChatMessage[]; warnings: string[] } {
  const names = conversation.flatMap((m) => m.content.filter(isPending).map((p) => p.metadata.purpose));
  if (!names.length) return { messages: [...conversation], warnings: [] };
  const messages = conversation
    .map((m) => {
      const content: ChatPart[] = [];
      for (const p of m.content) {
        if (isPending(p)) continue;
        const last = content[content.length - 1];
        if ("text" in p && last && "text" in last) last.text += p.text;
        else content.push("text" in p ? { text: p.text } : p);
      }
      return { role: m.role, content };
    })
    .filter((m) => m.content.length > 0);
  return {
    messages,
    warnings: [
      `${quoted(names)} marks a place Genkit fills (output instructions, retrieved documents); an ${vendor} request has no such place, so nothing is sent there. The .prompt export keeps it.`,
    ],
  };
}

/** A text target shows `{{section}}` places as `[section: name]`: say so. */
function textWarnings(sections: readonly Part[]): string[] | undefined {
  const names = live(sections).flatMap((s) => s.pending ?? []);
  if (!names.length) return undefined;
  return [
    `${quoted(names)} marks a place Genkit fills (output instructions, retrieved documents); nothing fills it outside Genkit, so this text shows it as [section: …]. The .prompt export keeps it.`,
  ];
}

function onlyText(m: ChatMessage): boolean {
  return m.content.every((p) => "text" in p);
}

export function toOpenAIRequest(
  conversation: readonly ChatMessage[],
  promptSettings: ModelSettings,
): ChatBody<OpenAIChatRequest> {
  const { settings, warnings } = modelFor("openai", promptSettings);
  const model = modelOrFallback(settings.model);
  const systemRole = model.systemRole === "developer" ? "developer" : "system";
  const sendable = withoutPending(conversation, "OpenAI");
  warnings.push(...sendable.warnings);
  const messages: OpenAIChatRequest["messages"] = sendable.messages.map((m) => {
    if (m.role === "system") return { role: systemRole, content: textOf(m) };
    if (m.role === "assistant") return { role: "assistant", content: textOf(m) };
    if (onlyText(m)) return { role: "user", content: textOf(m) };
    return {
      role: "user",
      content: m.content.flatMap((p): OpenAIPart[] =>
        "text" in p
          ? [{ type: "text", text: p.text }]
          : "media" in p
            ? [{ type: "image_url", image_url: { url: p.media.url } }]
            : [],
      ),
    };
  });
  const body: OpenAIChatRequest = { model: settings.model, messages };
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.maxTokens !== undefined) body.max_completion_tokens = settings.maxTokens;
  if (settings.stop.length) body.stop = [...settings.stop];
  return { body, warnings };
}

const ANTHROPIC_IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"] as const;

function anthropicBlock(p: Exclude<ChatPart, { metadata: unknown }>): AnthropicBlock {
  if ("text" in p) return { type: "text", text: p.text };
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(p.media.url);
  const type = ANTHROPIC_IMAGE_TYPES.find((t) => t === (data?.[1] ?? p.media.contentType));
  if (data && type) return { type: "image", source: { type: "base64", media_type: type, data: data[2]! } };
  return { type: "image", source: { type: "url", url: p.media.url } };
}

export function toAnthropicRequest(
  messages: readonly ChatMessage[],
  promptSettings: ModelSettings,
): ChatBody<AnthropicMessagesRequest> {
  const { settings, warnings } = modelFor("anthropic", promptSettings);
  const model = modelOrFallback(settings.model);
  const sendable = withoutPending(messages, "Anthropic");
  warnings.push(...sendable.warnings);
  const conversation = sendable.messages;
  // Anthropic takes one system prompt, before the conversation: the leading system messages.
  let lead = 0;
  while (conversation[lead]?.role === "system") lead++;
  const system = conversation.slice(0, lead).map(textOf).join("\n\n");
  const rest = conversation.slice(lead);
  if (rest.some((m) => m.role === "system"))
    warnings.push(
      "A system message comes after the conversation has started; Anthropic has no such turn, so it is sent as a user message.",
    );
  const body: AnthropicMessagesRequest = {
    model: settings.model,
    max_tokens: settings.maxTokens ?? model.defaultMaxTokens,
    ...(system ? { system } : {}),
    messages: rest.map((m) => ({
      role: m.role === "assistant" ? "assistant" : "user",
      content: onlyText(m) ? textOf(m) : m.content.flatMap((p) => ("metadata" in p ? [] : [anthropicBlock(p)])),
    })),
  };
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.stop.length) body.stop_sequences = [...settings.stop];
  return { body, warnings };
}

// ---------------------------------------------------------------------------------------------
// dotprompt source

/** A YAML scalar that is always valid: JSON strings are YAML double-quoted strings. */
const yamlString = (s: string) => JSON.stringify(s);

/** A description for inside a Picoschema key's parentheses: one line, no `(` (the parser splits on it). */
function keyDescription(description: string): string {
  return description
    .replace(/[\n\r]+/g, " ")
    .trim()
    .replace(/\(/g, "[")
    .replace(/\)/g, "]");
}

/** A description for a Picoschema value ("type, description"): one line. */
function valueDescription(description: string): string {
  return description.replace(/[\n\r]+/g, " ").trim();
}

const PICO_SCALAR: Record<string, string> = { string: "string", text: "string", number: "number", boolean: "boolean" };

function picoKey(name: string, required: boolean, paren?: string, description = ""): string {
  const desc = keyDescription(description);
  const key = `${name}${required ? "" : "?"}${paren ? `(${paren}${desc ? `, ${desc}` : ""})` : ""}`;
  return yamlString(key);
}

function picoScalar(type: string, description: string): string {
  const desc = valueDescription(description);
  return yamlString(desc ? `${type}, ${desc}` : type);
}

/** Picoschema lines for one variable, indented by `indent`. */
function picoschemaLines(v: Variable, indent: string): string[] {
  const fields = (fs: NonNullable<Variable["fields"]>) =>
    fs.map((f) => `${indent}  ${picoKey(f.name, f.required)}: ${picoScalar(PICO_SCALAR[f.type]!, f.description)}`);
  switch (v.type) {
    case "enum":
      return [
        `${indent}${picoKey(v.name, v.required, "enum", v.description)}: [${v.enumValues.map(yamlString).join(", ")}]`,
      ];
    case "list":
      if (v.itemType === "object")
        return [`${indent}${picoKey(v.name, v.required, "array", v.description)}:`, ...fields(v.fields ?? [])];
      return [`${indent}${picoKey(v.name, v.required, "array", v.description)}: ${yamlString(v.itemType ?? "string")}`];
    case "object":
      return [`${indent}${picoKey(v.name, v.required, "object", v.description)}:`, ...fields(v.fields ?? [])];
    case "messages":
      // Not an input field: dotprompt reads the history from the render's `messages`.
      return [];
    default:
      return [`${indent}${picoKey(v.name, v.required)}: ${picoScalar(PICO_SCALAR[v.type]!, v.description)}`];
  }
}

const GENKIT_PROVIDER: Record<ModelInfo["provider"], string> = { openai: "openai", anthropic: "anthropic" };

/** The front matter key (Genkit keeps dotted keys under `ext`) naming the prompt's history variable. */
export const HISTORY_EXT_KEY = "promptbuilder.history";

/**
 * A `.prompt` file for this draft: model and config in the front matter, the variable schema in
 * Picoschema, and the template the chat targets render (`promptBody`), so dotprompt reading this
 * file gives the chat targets' messages. Disabled sections are left out. Every key and string in
 * the front matter is a JSON string (valid YAML whatever it holds).
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
  const history = draft.variables.find((v) => v.type === "messages");
  if (history) fm.push(`${HISTORY_EXT_KEY}: ${yamlString(history.name)}`);
  const inputs = draft.variables.filter((v) => v.type !== "messages");
  if (inputs.length) {
    fm.push("input:", "  schema:");
    for (const v of inputs) fm.push(...picoschemaLines(v, "    "));
    const defaults = inputs.filter((v) => v.default !== undefined);
    if (defaults.length) {
      fm.push("  default:");
      for (const v of defaults) fm.push(`    ${yamlString(v.name)}: ${JSON.stringify(v.default)}`);
    }
  }
  fm.push("---");
  return `${fm.join("\n")}\n${promptBody(draft)}\n`;
}

export type TargetOutput = { text: string; json?: unknown; warnings?: string[] };

const withWarnings = (out: TargetOutput, warnings: string[] | undefined): TargetOutput =>
  warnings ? { ...out, warnings } : out;

/** A rendered prompt as the targets need it: sections for the text targets, the conversation for the chat bodies. */
export type RenderedPrompt = { sections: readonly Part[]; conversation: readonly ChatMessage[] | null };

/** One target as text (JSON bodies pretty-printed), from rendered sections and the draft. */
/**
 * One target as text (JSON bodies pretty-printed), from the rendered prompt and the draft. The
 * chat bodies may carry warnings (a stand-in model, a system turn Anthropic cannot take).
 */
export function renderTarget(
  target: Target,
  rendered: RenderedPrompt,
  draft: Pick<PromptDraft, "sections" | "variables" | "modelSettings">,
  meta: { description?: string } = {},
): TargetOutput {
  const { sections } = rendered;
  switch (target) {
    case "plain":
      return withWarnings({ text: toPlainText(sections) }, textWarnings(sections));
    case "markdown":
      return withWarnings({ text: toMarkdown(sections) }, textWarnings(sections));
    case "xml":
      return withWarnings({ text: toXmlTagged(sections) }, textWarnings(sections));
    case "openai": {
      const { body, warnings } = toOpenAIRequest(rendered.conversation ?? [], draft.modelSettings);
      return { text: JSON.stringify(body, null, 2), json: body, warnings };
    }
    case "anthropic": {
      const { body, warnings } = toAnthropicRequest(rendered.conversation ?? [], draft.modelSettings);
      return { text: JSON.stringify(body, null, 2), json: body, warnings };
    }
    case "dotprompt":
      return { text: toDotpromptSource(draft, meta) };
  }
}
