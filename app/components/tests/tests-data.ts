/** What the tests page's loader gives its panels (app/routes/prompts.$slug.tests._index.tsx). */
import type { listEvalRuns } from "~/models/evals.server";
import type { testsOverview } from "~/models/test-cases.server";

export type TestsData = Awaited<ReturnType<typeof testsOverview>> & {
  prompt: { slug: string; name: string; headVersion: number };
  runs: Awaited<ReturnType<typeof listEvalRuns>>;
  /** "providerId:model" for every model a run may use. */
  targets: string[];
  versions: number[];
  canEdit: boolean;
};
