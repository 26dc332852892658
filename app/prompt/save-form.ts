/**
 * Reads the builder's save form (draft as JSON in a hidden field, meta as plain fields so the form
 * also works without JavaScript) into validated values, or into `{ error, issues }` for a 400.
 */
import { LIMITS, promptDraftSchema, promptMetaSchema, type PromptDraft, type PromptMeta } from "./draft";
import { zodIssues, type FieldIssue } from "./zod-issues";

export type FormIssue = FieldIssue;
export type SaveFormError = { error: string; issues: FormIssue[] };
type FormLike = { get(name: string): unknown };

const str = (form: FormLike, name: string): string | null => {
  const v = form.get(name);
  return typeof v === "string" ? v : null;
};


export function parseDraftField(form: FormLike): { draft: PromptDraft } | SaveFormError {
  const raw = str(form, "draft");
  if (!raw) return { error: "The form did not include the prompt draft.", issues: [{ path: ["draft"], message: "is required" }] };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { error: "The prompt draft is not valid JSON.", issues: [{ path: ["draft"], message: "must be JSON" }] };
  }
  const parsed = promptDraftSchema.safeParse(json);
  if (!parsed.success) return { error: "The prompt has invalid fields.", issues: zodIssues(parsed.error) };
  return { draft: parsed.data };
}

export function parseMessage(form: FormLike): { message: string } | SaveFormError {
  const message = (str(form, "message") ?? "").trim();
  if (message.length > LIMITS.messageLength) {
    return { error: "The version message is too long.", issues: [{ path: ["message"], message: `must be at most ${LIMITS.messageLength} characters` }] };
  }
  return { message };
}

export function parseBaseVersion(form: FormLike): { baseVersion: number } | SaveFormError {
  const n = Number(str(form, "baseVersion"));
  if (!Number.isInteger(n) || n < 1) return { error: "The form did not say which version it started from.", issues: [{ path: ["baseVersion"], message: "must be a version number" }] };
  return { baseVersion: n };
}

/** Meta from the visible fields (name, description, tags as "a, b", folder). */
export function parseMetaFields(form: FormLike): { meta: PromptMeta } | SaveFormError {
  const tags = (str(form, "tags") ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const parsed = promptMetaSchema.safeParse({
    name: str(form, "name") ?? "",
    description: str(form, "description") ?? "",
    tags: [...new Set(tags)],
    folder: str(form, "folder") ?? "",
  });
  if (!parsed.success) return { error: "Some details of the prompt need fixing.", issues: zodIssues(parsed.error) };
  return { meta: parsed.data };
}

export function isFormError(x: object): x is SaveFormError {
  return "error" in x;
}
