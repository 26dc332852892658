import type { Problem } from "~/prompt/problem";

/**
 * The message for a field (the first segment of an issue's path), if the problem names it. Apart
 * from ~/prompt/problem so pages do not build its zod schema in the browser (a CSP eval report).
 */
export function issueFor(problem: Pick<Problem, "issues"> | null | undefined, field: string): string | undefined {
  return problem?.issues.find((i) => String(i.path[0]) === field)?.message;
}
