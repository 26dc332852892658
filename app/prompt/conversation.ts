/**
 * The conversation a prompt sends to a chat model, built one way for every chat target and the
 * `.prompt` export (decision 023): the draft becomes one dotprompt template (`promptBody`), the
 * reference `dotprompt` package renders it into messages, and `normaliseMessages` tidies their
 * edges. The export writes that same template, so the reference package reading the export gives
 * the same messages byte for byte. Pure.
 */
import type { PromptDraft, Section } from "./draft";

export type ChatRole = "system" | "user" | "assistant";

/**
 * A part of a message: text, an image/file given by URL or data URI, or the place a
 * `{{section "name"}}` marks — dotprompt's pending part, which Genkit fills (its output
 * instructions for "output", retrieved documents for "context"); it has no content of its own.
 */
export type ChatPart =
  | { text: string }
  | { media: { url: string; contentType?: string } }
  | { metadata: { purpose: string; pending: true } };

/** A `{{section}}` place in a message. */
export const isPending = (p: ChatPart): p is { metadata: { purpose: string; pending: true } } => "metadata" in p;
export type ChatMessage = { role: ChatRole; content: ChatPart[] };

/** A history message as a `messages` variable holds it. */
export type HistoryEntry = { role: string; content: string };

/** dotprompt's own message shape (roles `user`, `model`, `system`, `tool`). */
export type DotpromptMessage = {
  role: string;
  content: Array<{
    text?: string;
    media?: { url: string; contentType?: string };
    metadata?: { purpose?: unknown; pending?: unknown; [key: string]: unknown };
  }>;
  metadata?: Record<string, unknown>;
};

const TITLE_COMMENT = (s: Pick<Section, "title" | "kind">) =>
  `{{! ${(s.title.trim() || s.kind).replace(/}}/g, "").replace(/[\r\n]+/g, " ")} }}`;

/**
 * The template of the whole conversation: the system sections (and an Examples section's
 * introduction, which explains the pairs that follow) under `{{role "system"}}`; each example
 * pair as a user and a model turn; every other enabled section, in order, as the final user
 * message. Sections are joined by a blank line. Sections may switch roles themselves with
 * `{{role}}` and insert the history with `{{history}}`.
 */
export function promptBody(draft: Pick<PromptDraft, "sections">): string {
  const enabled = draft.sections.filter((s) => s.enabled);
  const blocks: string[] = [];
  const system = enabled
    .filter((s) => (s.kind === "system" || s.kind === "examples") && s.template.trim() !== "")
    .map((s) => `${TITLE_COMMENT(s)}\n${s.template}`);
  if (system.length) blocks.push(`{{role "system"}}\n${system.join("\n\n")}`);
  for (const s of enabled.filter((x) => x.kind === "examples")) {
    for (const e of s.examples) blocks.push(`{{role "user"}}\n${e.input}`, `{{role "model"}}\n${e.output}`);
  }
  const user = enabled
    .filter((s) => s.kind !== "system" && s.kind !== "examples" && s.template.trim() !== "")
    .map((s) => `${TITLE_COMMENT(s)}\n${s.template}`);
  if (user.length) blocks.push(`{{role "user"}}\n${user.join("\n\n")}`);
  return blocks.join("\n\n");
}

/** A `messages` variable's value as dotprompt's render data (`{ messages }`). */
export function historyToDotprompt(entries: readonly HistoryEntry[]): DotpromptMessage[] {
  return entries.map((m) => ({ role: m.role === "assistant" ? "model" : m.role, content: [{ text: m.content }] }));
}

/**
 * dotprompt's messages as chat messages, normalised the same way whichever side rendered them:
 * roles `model` → `assistant`; each message's text trimmed at its two ends (the blank lines
 * around `{{role}}` markers and section edges — a `{{section}}` place, having no text, does not
 * count as an end); empty text parts and empty messages dropped; history metadata dropped;
 * adjacent text parts joined. `{{section}}` places are kept where they stand, as dotprompt's
 * pending parts `{metadata: {purpose, pending: true}}` (decision 092).
 */
export function normaliseMessages(messages: readonly DotpromptMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const parts: ChatPart[] = [];
    for (const p of m.content) {
      if (p.media) parts.push({ media: p.media.contentType ? { ...p.media } : { url: p.media.url } });
      else if (typeof p.text === "string") {
        const last = parts[parts.length - 1];
        if (last && "text" in last) last.text += p.text;
        else parts.push({ text: p.text });
      } else if (p.metadata?.pending === true && typeof p.metadata.purpose === "string")
        parts.push({ metadata: { purpose: p.metadata.purpose, pending: true } });
    }
    const content = parts.filter((p) => !isPending(p));
    const first = content[0];
    if (first && "text" in first) first.text = first.text.trimStart();
    const last = content[content.length - 1];
    if (last && "text" in last) last.text = last.text.trimEnd();
    const kept = parts.filter((p) => !("text" in p) || p.text !== "");
    if (!kept.length) continue;
    const role: ChatRole = m.role === "model" ? "assistant" : m.role === "system" ? "system" : "user";
    out.push({ role, content: kept });
  }
  return out;
}

/** The text of a message's parts, with a visible placeholder for media and `{{section}}` places (for text targets). */
export function partsToText(parts: readonly ChatPart[]): string {
  return parts
    .map((p) =>
      "text" in p
        ? p.text
        : "media" in p
          ? `[${mediaLabel(p.media)}: ${p.media.url}]`
          : sectionPlaceholder(p.metadata.purpose),
    )
    .join("");
}

/** What a text target shows where `{{section "name"}}` stands: nothing fills it outside Genkit. */
export const sectionPlaceholder = (purpose: string) => `[section: ${purpose}]`;

export function mediaLabel(media: { url: string; contentType?: string }): string {
  const type = media.contentType ?? /^data:([^;,]+)/.exec(media.url)?.[1] ?? "";
  return type.startsWith("image/") || !type ? "image" : type.split("/")[0] || "media";
}
