/** Comparing two versions beyond their diff (diff.ts): one set of variables to render both with. Pure. */
import type { Variable } from "./draft";

/** Variables of both versions (the newer declaration wins), to ask for one set of values. */
export function unionVariables(a: readonly Variable[], b: readonly Variable[]): Variable[] {
  const byName = new Map<string, Variable>();
  for (const v of [...a, ...b]) byName.set(v.name, v);
  return [...byName.values()];
}
