/**
 * Errors a user or client causes, saying what they are about. Repositories and the domain throw
 * them; app/server/http/problem.server.ts alone turns them into HTTP (problem+json for the API,
 * `{ problem }` action data for pages). Anything else thrown is a bug: a logged 500.
 */
import type { Issue } from "./problem";

/** What a not-found or conflict is about. */
export type Subject =
  | "prompt"
  | "snippet"
  | "version"
  | "label"
  | "tag"
  | "folder"
  | "conflict"
  | "session"
  | "changeRequest"
  | "provider"
  | "run";

export abstract class DomainError extends Error {
  /** The fields the problem is about (empty for the request as a whole). */
  abstract readonly issues: Issue[];
}

/**
 * Input that breaks a rule, with every issue and its field path. `malformed` input does not even
 * have the expected shape (not JSON, a missing form field, a bad query parameter); other invalid
 * input is well-formed but refused (a name too long, a template that does not parse).
 */
export class InvalidError extends DomainError {
  readonly malformed: boolean;
  constructor(
    message: string,
    readonly issues: Issue[],
    options: { malformed?: boolean } = {},
  ) {
    super(message);
    this.name = "InvalidError";
    this.malformed = options.malformed ?? false;
  }

  /** One field and one message, the message doubling as the headline. */
  static field(field: string, message: string, options: { malformed?: boolean } = {}) {
    return new InvalidError(message, [{ path: [field], message }], options);
  }
}

const CURSOR_MESSAGE = "The page cursor is not valid for this query; start again from the first page.";

/** A list `cursor` that is not one this query handed out (tampered, or from another sort). */
export class CursorError extends InvalidError {
  constructor() {
    super(CURSOR_MESSAGE, [{ path: ["cursor"], message: CURSOR_MESSAGE }], { malformed: true });
    this.name = "CursorError";
  }
}

/** Something the request names does not exist (or is in the trash). */
export class NotFoundError extends DomainError {
  constructor(
    readonly what: Subject,
    readonly key: string | number,
    message: string,
    /** The request field that named it. */
    readonly field: string,
  ) {
    super(message);
    this.name = "NotFoundError";
  }

  get issues(): Issue[] {
    return [{ path: [this.field], message: this.message }];
  }

  /** No live prompt with this slug or id: never created, deleted, or in the trash. */
  static prompt(key: string, field = "slug") {
    return new NotFoundError("prompt", key, "This prompt does not exist or is in the trash.", field);
  }

  static version(number: number, field = "version") {
    return new NotFoundError(
      "version",
      number,
      `Version ${Number.isFinite(number) ? number : "?"} does not exist for this prompt.`,
      field,
    );
  }

  static label(name: string, field = "label") {
    return new NotFoundError("label", name, `This prompt has no label "${name}".`, field);
  }

  static snippet(name: string, field = "name") {
    return new NotFoundError("snippet", name, `There is no snippet "${name}".`, field);
  }
}

/** The request clashes with the current state: a name taken, a selection that changed, a newer save. */
export class ConflictError extends DomainError {
  constructor(
    readonly what: Subject,
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "ConflictError";
  }

  get issues(): Issue[] {
    return [{ path: [this.field], message: this.message }];
  }
}

/** The edit of a prompt or snippet started from `baseVersion`, but it has been saved as `headVersion` since. */
export class VersionConflictError extends ConflictError {
  constructor(
    readonly what: "prompt" | "snippet",
    readonly id: string,
    readonly baseVersion: number,
    readonly headVersion: number,
    /** Where the kept draft can be merged, when it was kept. */
    readonly url?: string,
  ) {
    super(
      what,
      `This ${what} was saved as version ${headVersion} after you started editing version ${baseVersion}.`,
      "baseVersion",
    );
    this.name = "VersionConflictError";
  }

  get issues(): Issue[] {
    return [{ path: ["baseVersion"], message: `the ${this.what} is at version ${this.headVersion}` }];
  }
}

/** The actor may not do this (e.g. move a protected label without being an admin). */
export class ForbiddenError extends DomainError {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "ForbiddenError";
  }

  get issues(): Issue[] {
    return [{ path: [this.field], message: this.message }];
  }
}
