/**
 * Langfuse prompts → a bundle (docs/langfuse-import.md). Accepts a JSON array of the objects
 * Langfuse's public API returns (GET /api/public/v2/prompts/{name}: name, version, type, prompt,
 * config, labels, tags, commitMessage), one per version, and maps them to prompts with every version,
 * labels and tags, which the bundle importer then checks and writes like any bundle. Pure.
 *
 * Langfuse templates are plain `{{variable}}` substitution; here templates are Handlebars, so every
 * other `{{…}}` (a partial `{{> x}}`, a block, a comment) is escaped to stay literal text, as it
 * was in Langfuse — an imported prompt can never include a snippet or run a helper by accident.
 */
import { z } from "zod";
import type { Section, Variable } from "~/prompt/draft";
import type { Issue } from "~/prompt/problem";
import { slugify } from "~/prompt/slug";
import { normalizeTag } from "~/prompt/tags";
import {
  BUNDLE_FORMAT_VERSION,
  folderAndTagRows,
  jsonDepthExceeds,
  MAX_BUNDLE_DEPTH,
  parseBundle,
  type BundleParse,
} from "./bundle";

const MAX_LANGFUSE_ITEMS = 5000;

/** A chat message ({ role, content }) or a placeholder for a message list ({ type: "placeholder", name }). */
const chatMessageSchema = z
  .object({
    type: z.string().max(40).optional(),
    role: z.string().min(1).max(40).optional(),
    content: z.string().max(200_000).optional(),
    name: z.string().min(1).max(64).optional(),
  })
  .loose()
  .refine((m) => (m.type === "placeholder" ? m.name !== undefined : m.role !== undefined && m.content !== undefined), {
    message: 'a chat message needs role and content (or type "placeholder" and name)',
  });

export const langfusePromptSchema = z
  .object({
    name: z.string().min(1).max(300),
    version: z.number().int().min(1),
    type: z.enum(["text", "chat"]).default("text"),
    prompt: z.union([z.string().max(200_000), z.array(chatMessageSchema).max(200)]),
    config: z.record(z.string(), z.unknown()).nullable().default({}),
    labels: z.array(z.string().max(100)).max(50).default([]),
    tags: z.array(z.string().max(100)).max(50).default([]),
    commitMessage: z.string().max(2000).nullable().optional(),
    createdAt: z.iso.datetime({ offset: true }).optional(),
    updatedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .loose();
export type LangfusePrompt = z.infer<typeof langfusePromptSchema>;

/** The fixed time given to versions and labels when Langfuse's objects carry none. */
export const LANGFUSE_EPOCH = "1970-01-01T00:00:00.000Z";

const SIMPLE_VARIABLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;

/** Langfuse template text → a Handlebars template with the same meaning, and the variables it uses. */
export function convertTemplate(text: string): { template: string; variables: string[] } {
  let out = "";
  const variables: string[] = [];
  for (let i = 0; i < text.length;) {
    if (text.startsWith("{{", i)) {
      const m = SIMPLE_VARIABLE.exec(text.slice(i, i + 80));
      if (m && m[1] !== "history" && m[1] !== "role" && m[1] !== "this") {
        out += `{{${m[1]}}}`;
        if (!variables.includes(m[1]!)) variables.push(m[1]!);
        i += m[0].length;
        continue;
      }
      // Anything else between braces was literal text in Langfuse: keep it literal (Handlebars' escape).
      out += "\\{{";
      i += 2;
      continue;
    }
    out += text[i];
    i += 1;
  }
  return { template: out, variables };
}

function numberIn(config: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) if (config[k] !== undefined && config[k] !== null) return config[k];
  return undefined;
}

/** Langfuse `config` → model settings (keys we do not know are listed, not kept). */
function settingsOf(config: Record<string, unknown>) {
  const stop = config.stop ?? config.stop_sequences;
  return {
    model: typeof config.model === "string" && config.model.trim() ? config.model.trim() : "gpt-4o",
    temperature: numberIn(config, ["temperature"]),
    topP: numberIn(config, ["top_p", "topP"]),
    maxTokens: numberIn(config, ["max_tokens", "maxTokens", "max_output_tokens", "max_completion_tokens"]),
    stop: typeof stop === "string" ? [stop] : Array.isArray(stop) ? stop : [],
  };
}

const KNOWN_CONFIG = new Set([
  "model",
  "temperature",
  "top_p",
  "topP",
  "max_tokens",
  "maxTokens",
  "max_output_tokens",
  "max_completion_tokens",
  "stop",
  "stop_sequences",
]);

const SECTION_OF_ROLE: Record<string, { kind: Section["kind"]; title: string; role: string }> = {
  system: { kind: "system", title: "System", role: "system" },
  developer: { kind: "system", title: "Developer", role: "system" },
  user: { kind: "task", title: "User", role: "user" },
  assistant: { kind: "custom", title: "Assistant", role: "model" },
};

type Mapped = { sections: Section[]; variables: Variable[]; dropped: string[]; issues: Issue[] };

function mapVersion(p: LangfusePrompt, at: (string | number)[]): Mapped {
  const sections: Section[] = [];
  const names: string[] = [];
  const issues: Issue[] = [];
  let history: string | null = null;
  const use = (vs: string[]) => vs.forEach((v) => names.includes(v) || names.push(v));
  if (typeof p.prompt === "string") {
    const { template, variables } = convertTemplate(p.prompt);
    use(variables);
    sections.push({ id: "prompt", kind: "task", title: "Prompt", template, enabled: true, examples: [] });
  } else {
    // Multi-turn chats keep their turns: sections after the system ones switch role themselves.
    const turns = p.prompt.some((m) => m.role === "assistant");
    p.prompt.forEach((m, i) => {
      if (m.type === "placeholder" && m.name !== undefined) {
        if (history) {
          issues.push({
            path: [...at, "prompt", i],
            message: "a prompt has one conversation history here: only one placeholder",
          });
          return;
        }
        history = m.name;
        sections.push({
          id: `m${i + 1}`,
          kind: "custom",
          title: `History (${m.name})`,
          template: "{{history}}",
          enabled: true,
          examples: [],
        });
        return;
      }
      if (m.role === undefined || m.content === undefined) return;
      const target = Object.hasOwn(SECTION_OF_ROLE, m.role) ? SECTION_OF_ROLE[m.role] : undefined;
      if (!target) {
        issues.push({
          path: [...at, "prompt", i, "role"],
          message: `unknown role "${m.role}" (system, developer, user or assistant)`,
        });
        return;
      }
      const { template, variables } = convertTemplate(m.content);
      use(variables);
      const prefix = turns && target.kind !== "system" ? `{{role "${target.role}"}}\n` : "";
      sections.push({
        id: `m${i + 1}`,
        kind: target.kind,
        title: target.title,
        template: prefix + template,
        enabled: true,
        examples: [],
      });
    });
  }
  const variables: Variable[] = names
    .filter((n) => n !== history)
    .map((name) => ({ name, type: "text", required: true, enumValues: [], description: "" }));
  if (history)
    variables.push({
      name: history,
      type: "messages",
      required: false,
      enumValues: [],
      description: "The conversation so far (a Langfuse placeholder).",
    });
  const dropped = Object.keys(p.config ?? {}).filter((k) => !KNOWN_CONFIG.has(k));
  return { sections, variables, dropped, issues };
}

/** A JSON value (an array of Langfuse prompt objects) → a parsed bundle, or every problem with its path. */
export function langfuseToBundle(value: unknown): BundleParse {
  if (jsonDepthExceeds(value, MAX_BUNDLE_DEPTH))
    return {
      ok: false,
      status: 400,
      error: "The file nests too deeply.",
      issues: [{ path: [], message: `nests deeper than ${MAX_BUNDLE_DEPTH} levels` }],
    };
  const list = z.array(langfusePromptSchema).min(1).max(MAX_LANGFUSE_ITEMS).safeParse(value);
  if (!list.success)
    return {
      ok: false,
      status: 422,
      error: "This is not a list of Langfuse prompts (GET /api/public/v2/prompts/{name} objects).",
      issues: list.error.issues
        .slice(0, 200)
        .map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message })),
    };
  const issues: Issue[] = [];
  const byName = new Map<string, Array<{ p: LangfusePrompt; index: number }>>();
  list.data.forEach((p, index) => {
    if (!byName.has(p.name)) byName.set(p.name, []);
    byName.get(p.name)!.push({ p, index });
  });
  const slugs = new Map<string, string>();
  const prompts = [...byName.entries()].map(([fullName, items]) => {
    items.sort((a, b) => a.p.version - b.p.version);
    // Langfuse names may hold folders: "support/email/reply" → folder "support/email", name "reply".
    const parts = fullName.split("/").map((s) => s.trim());
    const name = parts.pop() || fullName;
    const folder = parts.filter(Boolean).join("/");
    const slug = slugify(fullName);
    const other = slugs.get(slug);
    if (other)
      issues.push({
        path: [items[0]!.index, "name"],
        message: `"${fullName}" and "${other}" make the same slug "${slug}"`,
      });
    slugs.set(slug, fullName);
    const tags = [...new Set(items.flatMap(({ p }) => p.tags.map(normalizeTag)).filter(Boolean))].sort();
    const labelAt = new Map<string, { version: number; at: string }>();
    const versions = items.map(({ p, index }) => {
      const mapped = mapVersion(p, [index]);
      issues.push(...mapped.issues);
      const at = p.createdAt ?? LANGFUSE_EPOCH;
      for (const l of p.labels) if (l !== "latest") labelAt.set(l, { version: p.version, at: p.updatedAt ?? at });
      const note = mapped.dropped.length ? ` [config not kept: ${mapped.dropped.join(", ")}]` : "";
      return {
        number: p.version,
        message: `${p.commitMessage ?? ""}${note}`.trim().slice(0, 500),
        author: null,
        createdAt: at,
        sections: mapped.sections,
        variables: mapped.variables,
        modelSettings: settingsOf(p.config ?? {}),
        pins: [],
        index,
      };
    });
    const first = versions[0]!;
    const last = versions[versions.length - 1]!;
    return {
      slug,
      name,
      description: "",
      folder,
      tags,
      favorite: false,
      visibility: "shared",
      owner: null,
      headVersion: last.number,
      createdAt: first.createdAt,
      updatedAt: last.createdAt,
      deletedAt: null,
      testValues: { default: {} },
      versions: versions.map(({ index: _i, ...v }) => v),
      labels: [...labelAt.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([label, { version, at }]) => ({
          name: label,
          version,
          protected: false,
          updatedAt: at,
          events: [{ from: null, to: version, actor: null, at }],
        })),
      _indexes: versions.map((v) => v.index),
    };
  });
  if (issues.length) return { ok: false, status: 422, error: "Some Langfuse prompts cannot be imported.", issues };
  const { folders, tags } = folderAndTagRows(prompts, LANGFUSE_EPOCH);
  const bundle = {
    formatVersion: BUNDLE_FORMAT_VERSION,
    folders,
    tags,
    snippets: [],
    prompts: prompts.map(({ _indexes: _x, ...p }) => p),
  };
  const parsed = parseBundle(bundle);
  if (parsed.ok) return parsed;
  // Point each problem at the Langfuse object it came from: prompts[i].versions[j]… → [index, …].
  return {
    ...parsed,
    issues: parsed.issues.map((issue) => {
      const [head, i, sub, j, ...rest] = issue.path;
      if (head === "prompts" && typeof i === "number") {
        const p = prompts[i]!;
        if (sub === "versions" && typeof j === "number")
          return { path: [p._indexes[j]!, ...rest], message: issue.message };
        return {
          path: [p._indexes[0]!, ...(sub === undefined ? [] : [sub]), ...(j === undefined ? [] : [j]), ...rest],
          message: issue.message,
        };
      }
      return issue;
    }),
  };
}
