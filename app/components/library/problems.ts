/** Problem values as pages receive them from actions (shared with the browser bundle). */
export type Issue = { path: Array<string | number>; message: string };
export type Problem = { error: string; issues: Issue[]; conflict?: { baseVersion: number; headVersion: number } };

/** The message for a field, from action data. */
export function issueFor(result: unknown, field: string): string | undefined {
  const r = result as Partial<Problem> | undefined;
  return r?.issues?.find((i) => String(i.path[0]) === field)?.message;
}
