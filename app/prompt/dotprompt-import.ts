/**
 * A `.prompt` file (dotprompt: YAML front matter + a Handlebars template with `{{role}}` blocks) →
 * a draft, read with the `dotprompt` package's own parser and Picoschema converter. The inverse of
 * `toDotpromptSource` (targets.ts): our export read here and exported again gives the same bytes
 * (dotprompt-import.test.ts). The mapping (docs/decisions/127):
 * - `{{role "system"}}` block → sections of kind system (an "Examples" title comment → the
 *   examples section's introduction); each `{{role "user"}}` block followed by a
 *   `{{role "model"}}` block → an example pair; the last user block → the user sections;
 * - inside a block, a line `{{! Title }}` after a blank line starts a section with that title; the
 *   kind follows the title when it is a kind's default title ("Task", "Context", "Constraints",
 *   "Output format", "Role", "Examples", "Notes"), else `custom` (in the user block) or `system`;
 *   a file without title comments gives one section per block (system / task);
 * - `input.schema` (Picoschema or JSON Schema) → typed variables, `input.default` → defaults,
 *   `promptbuilder.history` → the messages variable; `model` and `config` → model settings.
 * What the format cannot hold (a `text` variable is a `string`, disabled and empty sections,
 * section ids) is not recovered. Pure.
 */
import { Dotprompt, picoschema } from "dotprompt";
import { InvalidError } from "./errors";
import {
  promptDraftSchema,
  type Field,
  type PromptDraft,
  type Section,
  type SectionKind,
  type Variable,
} from "./draft";
import { SECTION_TEMPLATES } from "./sections";
import { HISTORY_EXT_KEY } from "./targets";
import { parseInput } from "./zod-issues";

/** The largest `.prompt` file read (bytes of UTF-16 text; a larger one is refused before parsing). */
export const MAX_DOTPROMPT_CHARS = 1_000_000;

export type DotpromptImport = {
  draft: PromptDraft;
  /** The front matter's `description`, "" without. */
  description: string;
  /** The front matter's `name`, when it has one. */
  name?: string;
  /** What was read but could not be kept (a JSON Schema feature without a variable type, an unknown role). */
  warnings: string[];
};

type JsonSchema = {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

const KIND_BY_TITLE = new Map<string, SectionKind>(
  (Object.entries(SECTION_TEMPLATES) as Array<[SectionKind, { title: string }]>).flatMap(([kind, t]) => [
    [t.title.toLowerCase(), kind],
    [kind, kind],
  ]),
);

function typesOf(schema: JsonSchema): string[] {
  const t = schema.type;
  return (Array.isArray(t) ? t : t ? [t] : []).filter((x) => x !== "null");
}

function fieldsOf(schema: JsonSchema, at: string, warnings: string[]): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, prop]) => {
    const [type] = typesOf(prop);
    const fieldType = type === "number" || type === "integer" ? "number" : type === "boolean" ? "boolean" : "string";
    if (type && !["string", "number", "integer", "boolean"].includes(type))
      warnings.push(`${at}.${name}: a field of type ${type} is kept as text.`);
    return { name, type: fieldType, required: required.has(name), description: prop.description ?? "" };
  });
}

function variableOf(name: string, schema: JsonSchema, required: boolean, warnings: string[]): Variable {
  const base = { name, required, description: schema.description ?? "", enumValues: [] as string[] };
  if (schema.enum) {
    return { ...base, type: "enum", enumValues: schema.enum.filter((v) => v !== null).map((v) => String(v)) };
  }
  const [type] = typesOf(schema);
  switch (type) {
    case "number":
    case "integer":
      return { ...base, type: "number" };
    case "boolean":
      return { ...base, type: "boolean" };
    case "array": {
      const items = schema.items ?? {};
      const [itemType] = typesOf(items);
      if (itemType === "object")
        return { ...base, type: "list", itemType: "object", fields: fieldsOf(items, name, warnings) };
      const kept =
        itemType === "number" || itemType === "integer" ? "number" : itemType === "boolean" ? "boolean" : "string";
      return { ...base, type: "list", itemType: kept };
    }
    case "object":
      return { ...base, type: "object", fields: fieldsOf(schema, name, warnings) };
    case "string":
    case undefined:
      return { ...base, type: "string" };
    default:
      warnings.push(`${name}: type ${type} is kept as text.`);
      return { ...base, type: "string" };
  }
}

/** The blocks of the template: each `{{role "x"}}` line starts one; text before the first is the user's. */
function roleBlocks(template: string): Array<{ role: string; text: string }> {
  const blocks: Array<{ role: string; text: string }> = [];
  const marker = /^\{\{\s*role\s+"([a-z]+)"\s*\}\}$/;
  let current: { role: string; lines: string[] } | null = null;
  const lines = template.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = marker.exec(lines[i]!);
    // A marker starts a block at the top or after a blank line (how the export writes them).
    if (m && (i === 0 || lines[i - 1] === "")) {
      if (current) {
        // The blank line before the marker separated the blocks.
        if (current.lines[current.lines.length - 1] === "") current.lines.pop();
        blocks.push({ role: current.role, text: current.lines.join("\n") });
      }
      current = { role: m[1]!, lines: [] };
      continue;
    }
    if (!current) current = { role: "user", lines: [] };
    current.lines.push(lines[i]!);
  }
  if (current) blocks.push({ role: current.role, text: current.lines.join("\n") });
  return blocks;
}

/** The sections of one block: a `{{! Title }}` line at the top or after a blank line starts one. */
function sectionsOf(text: string, fallback: SectionKind, userBlock: boolean): Section[] {
  const comment = /^\{\{!\s(.*)\s\}\}$/;
  const out: Array<{ title: string | null; lines: string[] }> = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = comment.exec(lines[i]!);
    if (m && !m[1]!.includes("}}") && (i === 0 || lines[i - 1] === "")) {
      const last = out[out.length - 1];
      // The blank line before the comment separated two sections.
      if (last && last.lines[last.lines.length - 1] === "") last.lines.pop();
      out.push({ title: m[1]!, lines: [] });
      continue;
    }
    if (!out.length) out.push({ title: null, lines: [] });
    out[out.length - 1]!.lines.push(lines[i]!);
  }
  return out
    .map(({ title, lines: body }) => {
      const known = title === null ? undefined : KIND_BY_TITLE.get(title.toLowerCase());
      const kind: SectionKind =
        known && (userBlock ? known !== "system" && known !== "examples" : known === "system" || known === "examples")
          ? known
          : title === null
            ? fallback
            : userBlock
              ? "custom"
              : "system";
      return {
        kind,
        title: title ?? SECTION_TEMPLATES[kind].title,
        template: body.join("\n"),
        enabled: true,
        examples: [],
      };
    })
    .filter((s) => s.template.trim() !== "" || s.kind === "examples");
}

/** The model id without Genkit's provider prefix ("openai/gpt-4o" → "gpt-4o"). */
function modelId(model: unknown): string | undefined {
  if (typeof model !== "string" || !model.trim()) return undefined;
  const slash = model.indexOf("/");
  return slash >= 0 ? model.slice(slash + 1) : model;
}

/** Reads a `.prompt` file into a draft; a file that does not parse, or gives no valid draft, is an InvalidError. */
export async function parseDotprompt(source: string): Promise<DotpromptImport> {
  if (source.length > MAX_DOTPROMPT_CHARS)
    throw InvalidError.field(
      "file",
      `A .prompt file may have at most ${MAX_DOTPROMPT_CHARS.toLocaleString("en")} characters.`,
    );
  let parsed: ReturnType<Dotprompt["parse"]>;
  try {
    parsed = new Dotprompt().parse(source);
  } catch (error) {
    throw InvalidError.field("file", `The front matter is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  // dotprompt reports front matter it cannot read (console) and keeps the whole file as the template.
  if (/^---\r?\n/.test(source) && parsed.raw === undefined && /^---\r?\n/.test(parsed.template))
    throw InvalidError.field("file", "The front matter between the --- lines is not valid YAML (or is empty).");
  const warnings: string[] = [];

  // Variables: the schema as JSON Schema (dotprompt's own Picoschema conversion), then defaults.
  let schema: JsonSchema | null = null;
  if (parsed.input?.schema !== undefined) {
    try {
      schema = ((await picoschema(parsed.input.schema)) ?? null) as JsonSchema | null;
    } catch (error) {
      throw InvalidError.field("input.schema", `The input schema is not valid Picoschema: ${(error as Error).message}`);
    }
  }
  const required = new Set(schema?.required ?? []);
  const variables: Variable[] = Object.entries(schema?.properties ?? {}).map(([name, prop]) =>
    variableOf(name, prop, required.has(name), warnings),
  );
  const defaults = (parsed.input?.default ?? {}) as Record<string, unknown>;
  for (const v of variables) if (defaults[v.name] !== undefined) v.default = defaults[v.name] as Variable["default"];
  const ext = (parsed.ext ?? {}) as Record<string, Record<string, unknown>>;
  const [extNs, extKey] = HISTORY_EXT_KEY.split(".") as [string, string];
  const history = ext[extNs]?.[extKey] ?? (parsed.raw as Record<string, unknown> | undefined)?.[HISTORY_EXT_KEY];
  if (typeof history === "string" && history)
    variables.push({ name: history, type: "messages", required: true, description: "", enumValues: [] });

  // Sections from the role blocks.
  const blocks = roleBlocks(parsed.template);
  const sections: Section[] = [];
  const examples: Array<{ input: string; output: string }> = [];
  let examplesSection: Section | null = null;
  let userSections: Section[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.role === "system") {
      for (const s of sectionsOf(block.text, "system", false)) {
        sections.push(s);
        if (s.kind === "examples" && !examplesSection) examplesSection = s;
      }
    } else if (block.role === "user" && blocks[i + 1]?.role === "model") {
      examples.push({ input: block.text, output: blocks[i + 1]!.text });
      i++;
    } else if (block.role === "user") {
      userSections = [...userSections, ...sectionsOf(block.text, "task", true)];
    } else {
      warnings.push(`A {{role "${block.role}"}} block outside a user/model pair is kept as a custom section.`);
      userSections.push({
        kind: "custom",
        title: `Role ${block.role}`,
        template: `{{role "${block.role}"}}\n${block.text}`,
        enabled: true,
        examples: [],
      });
    }
  }
  if (examples.length) {
    if (!examplesSection) {
      examplesSection = { kind: "examples", title: "Examples", template: "", enabled: true, examples: [] };
      sections.push(examplesSection);
    }
    examplesSection.examples = examples;
  }
  sections.push(...userSections);

  const config = (parsed.config ?? {}) as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const stop = Array.isArray(config.stopSequences) ? config.stopSequences.filter((s) => typeof s === "string") : [];
  const modelSettings = {
    model: modelId(parsed.model) ?? "gpt-4o",
    ...(num(config.temperature) !== undefined ? { temperature: num(config.temperature) } : {}),
    ...(num(config.topP) !== undefined ? { topP: num(config.topP) } : {}),
    ...(num(config.maxOutputTokens) !== undefined ? { maxTokens: num(config.maxOutputTokens) } : {}),
    stop,
  };
  const draft = parseInput(promptDraftSchema, { sections, variables, modelSettings });
  const raw = (parsed.raw ?? {}) as Record<string, unknown>;
  return {
    draft,
    description: typeof parsed.description === "string" ? parsed.description : "",
    ...(typeof raw.name === "string" && raw.name.trim() ? { name: raw.name.trim() } : {}),
    warnings,
  };
}
