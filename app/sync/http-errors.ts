/**
 * One sentence for each way a request to the instance can fail, for the sync client's users (no
 * stack traces): what happened, and what to do about it. Pure.
 */
export type ProblemBody = {
  status?: number;
  error?: string;
  issues?: Array<{ path?: Array<string | number>; message?: string }>;
  conflict?: { about?: string; baseVersion?: number; headVersion?: number };
};

/** A response body as a problem, when it is one (anything else → null). */
export function asProblem(body: unknown): ProblemBody | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const b = body as ProblemBody;
  return typeof b.error === "string" ? b : null;
}

function issuesText(problem: ProblemBody | null): string {
  const issues = (problem?.issues ?? []).filter((i) => i.message);
  if (!issues.length) return "";
  return `\n${issues
    .slice(0, 10)
    .map((i) => `    - ${i.path?.length ? `${i.path.join(".")}: ` : ""}${i.message}`)
    .join("\n")}`;
}

export function describeFailure(input: {
  status: number;
  problem: ProblemBody | null;
  /** What was asked, e.g. "GET /api/v1/export.zip". */
  what: string;
  hadToken: boolean;
  retryAfter?: string | null;
}): string {
  const { status, problem, what, hadToken } = input;
  const said = problem?.error ? ` The instance said: ${problem.error}` : "";
  switch (status) {
    case 401:
      return hadToken
        ? `The instance did not accept the token (401) for ${what}: it is mistyped, revoked or expired. Make a new one at /settings.${said}`
        : `The instance needs a token (401) for ${what}: pass --token or set PROMPT_BUILDER_TOKEN (tokens are made at /settings).`;
    case 403:
      return `Not allowed (403) for ${what}.${said} Reading needs a token with the read scope; pushing needs the write scope and an editor's or admin's account; a token limited to labels may move only those.`;
    case 404:
      return what.includes("export.zip")
        ? `Not found (404) for ${what}: the instance has exports switched off (ENABLE_EXPORT=false), or --url is not a Prompt Builder instance.${said}`
        : `Not found (404) for ${what}.${said}`;
    case 429:
      return `Too many requests (429) for ${what}: the instance's rate limit${input.retryAfter ? `; retry in ${input.retryAfter} s` : ""}.${said}`;
    default:
      if (status >= 500)
        return `The instance failed (${status}) for ${what}.${said || " (no explanation in the answer)"} Try again later; the request was not applied if it was refused.`;
      return `Refused (${status}) for ${what}.${said}${issuesText(problem)}`;
  }
}
