/**
 * Reads the builder's save form (draft as JSON in a hidden field, meta as plain fields so the form
 * also works without JavaScript) into validated values; anything wrong is an InvalidError with
 * every issue (a 400: the form did not have the shape the builder sends).
 */
import { LIMITS, promptDraftSchema, promptMetaSchema, type PromptDraft, type PromptMeta } from "./draft";
import { InvalidError } from "./errors";
import { splitTagField } from "./tags";
import { versionFromText, VERSION_MESSAGE } from "./numbers";
import { refuseNul } from "./text";
import { parseInput } from "./zod-issues";

type FormLike = { get(name: string): unknown };

const str = (form: FormLike, name: string): string | null => {
  const v = form.get(name);
  return typeof v === "string" ? v : null;
};

const malformed = { malformed: true } as const;

export function parseDraftField(form: FormLike): PromptDraft {
  const raw = str(form, "draft");
  if (!raw)
    throw new InvalidError(
      "The form did not include the prompt draft.",
      [{ path: ["draft"], message: "is required" }],
      malformed,
    );
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new InvalidError(
      "The prompt draft is not valid JSON.",
      [{ path: ["draft"], message: "must be JSON" }],
      malformed,
    );
  }
  refuseNul(json, ["draft"]);
  return parseInput(promptDraftSchema, json, { message: "The prompt has invalid fields.", ...malformed });
}

export function parseMessage(form: FormLike): string {
  const message = (str(form, "message") ?? "").trim();
  if (message.length > LIMITS.messageLength) {
    throw new InvalidError(
      "The version message is too long.",
      [{ path: ["message"], message: `must be at most ${LIMITS.messageLength} characters` }],
      malformed,
    );
  }
  return message;
}

/** A version number from a form field (1 or more), e.g. the version an edit started from. */
export function parseVersionField(
  form: FormLike,
  name: string,
  headline = "The form did not say which version it is about.",
): number {
  const n = versionFromText(str(form, name));
  if (n === null) throw new InvalidError(headline, [{ path: [name], message: VERSION_MESSAGE }], malformed);
  return n;
}

export function parseBaseVersion(form: FormLike): number {
  return parseVersionField(form, "baseVersion", "The form did not say which version it started from.");
}

/** Meta from the visible fields (name, description, tags as "a, b", folder). */
export function parseMetaFields(form: FormLike): PromptMeta {
  const tags = splitTagField(str(form, "tags") ?? "");
  const meta = {
    name: str(form, "name") ?? "",
    description: str(form, "description") ?? "",
    tags: [...new Set(tags)],
    folder: str(form, "folder") ?? "",
  };
  return parseInput(promptMetaSchema, meta, { message: "Some details of the prompt need fixing.", ...malformed });
}
