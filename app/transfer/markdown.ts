/**
 * A prompt version as a readable Markdown document: title, description, which version, the model
 * settings, a table of the variables, one heading per section with its template in a fenced block,
 * and an Examples section's pairs as a numbered list. For people (reviews, wikis, tickets), not for
 * re-import: the bundle is the lossless format. Pure.
 */
import type { PromptDraft } from "~/prompt/draft";

export type MarkdownInput = {
  name: string;
  slug: string;
  description: string;
  version: number;
  message: string;
  createdAt: string;
  labels: string[];
  tags: string[];
  draft: PromptDraft;
};

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fence(text: string, info = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}${info}\n${text}\n${f}`;
}

/** Table cell text: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").trim() || " ";
}

/** Heading text: one line, without leading #s. */
function headingText(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/^#+\s*/, "")
    .trim();
}

const KIND_TITLE: Record<string, string> = {
  system: "System",
  context: "Context",
  task: "Task",
  examples: "Examples",
  constraints: "Constraints",
  output_format: "Output format",
  custom: "Section",
};

export function versionMarkdown(input: MarkdownInput): string {
  const { draft } = input;
  const out: string[] = [`# ${headingText(input.name) || input.slug}`, ""];
  if (input.description.trim()) out.push(input.description.trim(), "");
  const facts = [
    `- **Version:** ${input.version}${input.labels.length ? ` (${input.labels.map((l) => `\`${l}\``).join(", ")})` : ""}`,
    `- **Saved:** ${input.createdAt}${input.message ? ` — ${input.message.replace(/[\r\n]+/g, " ")}` : ""}`,
    `- **Model:** \`${draft.modelSettings.model}\`` +
      (draft.modelSettings.temperature !== undefined ? `, temperature ${draft.modelSettings.temperature}` : "") +
      (draft.modelSettings.topP !== undefined ? `, top_p ${draft.modelSettings.topP}` : "") +
      (draft.modelSettings.maxTokens !== undefined ? `, max tokens ${draft.modelSettings.maxTokens}` : "") +
      (draft.modelSettings.stop.length
        ? `, stop ${draft.modelSettings.stop.map((s) => JSON.stringify(s)).join(", ")}`
        : ""),
  ];
  if (input.tags.length) facts.push(`- **Tags:** ${input.tags.join(", ")}`);
  out.push(...facts, "");

  out.push("## Variables", "");
  if (draft.variables.length === 0) out.push("This version has no variables.", "");
  else {
    out.push("| Name | Type | Required | Default | Description |", "| --- | --- | --- | --- | --- |");
    for (const v of draft.variables) {
      const type =
        v.type === "enum"
          ? `enum (${v.enumValues.join(", ")})`
          : v.type === "list" && v.itemType
            ? `list of ${v.itemType}`
            : v.type;
      out.push(
        `| \`${v.name}\` | ${cell(type)} | ${v.required ? "yes" : "no"} | ${v.default === undefined ? "" : cell(JSON.stringify(v.default))} | ${cell(v.description)} |`,
      );
    }
    out.push("");
  }

  draft.sections.forEach((s, i) => {
    const title = headingText(s.title) || KIND_TITLE[s.kind] || s.kind;
    out.push(`## ${i + 1}. ${title}${s.enabled ? "" : " (disabled)"}`, "");
    out.push(`*${KIND_TITLE[s.kind] ?? s.kind}*`, "");
    if (s.template.trim()) out.push(fence(s.template, "handlebars"), "");
    if (s.kind === "examples" && s.examples.length) {
      s.examples.forEach((e, n) => {
        out.push(
          `${n + 1}. **Input**`,
          "",
          indent(fence(e.input)),
          "",
          "   **Output**",
          "",
          indent(fence(e.output)),
          "",
        );
      });
    }
  });
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => (l ? `   ${l}` : l))
    .join("\n");
}
