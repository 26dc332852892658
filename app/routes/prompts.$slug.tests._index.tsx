/**
 * A prompt's tests (issue 14): test cases in a table (values checked against the newest version's
 * variables, errors beside the cell), their assertions and the suites', CSV/JSONL import and
 * export, evaluation runs started in the background with their progress, and label gates.
 */
import {
  data,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { EvalRunsPanel } from "~/components/tests/EvalRunsPanel";
import { LabelGatesPanel } from "~/components/tests/LabelGatesPanel";
import { SuitesPanel } from "~/components/tests/SuitesPanel";
import { TestCasesPanel } from "~/components/tests/TestCasesPanel";
import type { Problem } from "~/prompt/problem";
import { isActive, usePollWhile } from "~/components/tests/RunStatus";
import { cancelEvalRun, listEvalRuns, startEvalRun } from "~/models/evals.server";
import { requirePrompt } from "~/models/history.server";
import { availableProviders } from "~/models/providers.server";
import {
  addAssertion,
  addCase,
  createSuite,
  deleteCase,
  deleteSuite,
  importCases,
  parseAssertionForm,
  removeAssertion,
  saveCase,
  setLabelGate,
  testsOverview,
} from "~/models/test-cases.server";
import { InvalidError } from "~/prompt/errors";
import { TEST_CASE_LIMITS } from "~/prompt/assertion-kinds";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";
import { roleAtLeast } from "~/server/auth/roles";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { pageAction, pageLoad, parseIntent, readForm } from "~/server/http/problem.server";
import { localRedirect } from "~/server/http/safe-redirect.server";
import { providerModels } from "~/server/providers/providers.server";
import libraryStyles from "~/styles/library.css";
import testsStyles from "~/styles/tests.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: libraryStyles },
  { rel: "stylesheet", href: testsStyles },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Tests of ${data?.prompt.name ?? "prompt"} · Prompt Builder` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug);
  const db = getDb();
  const prompt = await pageLoad(() => requirePrompt(db, params.slug ?? ""));
  const [overview, runs, providers, versions] = await Promise.all([
    testsOverview(db, prompt.id),
    listEvalRuns(db, prompt.id),
    availableProviders(db, getEnv()),
    db.promptVersion.findMany({
      where: { promptId: prompt.id },
      orderBy: { number: "desc" },
      take: 50,
      select: { number: true },
    }),
  ]);
  const targets = (
    await Promise.all(providers.map(async (p) => (await providerModels(p)).map((m) => `${p.id}:${m}`)))
  ).flat();
  return {
    prompt: { slug: prompt.slug, name: prompt.name, headVersion: prompt.headVersion },
    ...overview,
    runs,
    targets,
    versions: versions.map((v) => v.number),
    canEdit: roleAtLeast(principal.role, "editor"),
  };
}

const DONE: Record<string, string> = {
  case: "Test case saved.",
  deleted: "Test case deleted.",
  assertion: "Assertions saved.",
  suite: "Suites saved.",
  gate: "Gate saved.",
  cancelled: "Run cancelled.",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const actor = actorOf(principal, request);
  const form = await readForm(request);
  const db = getDb();
  const env = getEnv();
  const str = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : null;
  };
  return pageAction(async () => {
    const intent = parseIntent(form, [
      "add-case",
      "save-case",
      "delete-case",
      "add-assertion",
      "remove-assertion",
      "create-suite",
      "delete-suite",
      "import",
      "run",
      "cancel-run",
      "gate",
    ] as const);
    const prompt = await requirePrompt(db, params.slug ?? "");
    const here = `/prompts/${prompt.slug}/tests`;
    const caseId = str("caseId") ?? "";
    const suiteId = str("suiteId") ?? "";
    // An empty id names the first case or the default suite, shown before they are stored.
    const target = form.has("caseId") ? { caseId } : { suiteId };
    switch (intent) {
      case "add-case":
        await addCase(db, prompt.id, str("name"), actor);
        return localRedirect(`${here}?done=case`);
      case "save-case": {
        const values: Record<string, string | boolean> = {};
        for (const [k, v] of form) {
          if (k.startsWith("v:") && typeof v === "string") values[k.slice(2)] = v;
          if (k.startsWith("b:")) values[k.slice(2)] = form.getAll(k).includes("true");
        }
        try {
          await saveCase(db, prompt.id, caseId, { name: str("name"), values }, actor);
        } catch (err) {
          // The cell errors belong to this row: say which.
          if (err instanceof InvalidError)
            return data({ problem: { status: 422, error: err.message, issues: err.issues }, caseId }, { status: 422 });
          throw err;
        }
        return localRedirect(`${here}?done=case`);
      }
      case "delete-case":
        await deleteCase(db, prompt.id, caseId, actor);
        return localRedirect(`${here}?done=deleted`);
      case "add-assertion":
        await addAssertion(db, prompt.id, target, parseAssertionForm(str), actor);
        return localRedirect(`${here}?done=assertion`);
      case "remove-assertion":
        await removeAssertion(db, prompt.id, target, Number(str("index")), actor);
        return localRedirect(`${here}?done=assertion`);
      case "create-suite":
        await createSuite(db, prompt.id, str("suiteName"), actor);
        return localRedirect(`${here}?done=suite`);
      case "delete-suite":
        await deleteSuite(db, prompt.id, suiteId, actor);
        return localRedirect(`${here}?done=suite`);
      case "import": {
        const file = form.get("file");
        const format = str("format") === "jsonl" ? "jsonl" : "csv";
        if (!(file instanceof File) || file.size === 0) throw InvalidError.field("file", "Choose a file to import.");
        if (file.size > TEST_CASE_LIMITS.importBytes)
          throw InvalidError.field("file", `The file is larger than ${TEST_CASE_LIMITS.importBytes / 1_000_000} MB.`);
        const result = await importCases(db, prompt.id, format, await file.text(), actor);
        return localRedirect(`${here}?done=imported&added=${result.added}&updated=${result.updated}`);
      }
      case "run": {
        const [provider = "", ...model] = (str("target") ?? "").split(":");
        const version = Number(str("version"));
        const run = await startEvalRun(db, env, {
          promptId: prompt.id,
          suiteName: str("suite") ?? "",
          version: Number.isInteger(version) ? version : 0,
          provider,
          model: model.join(":"),
          actor,
        });
        return localRedirect(`${here}/runs/${run.id}`);
      }
      case "cancel-run":
        await cancelEvalRun(db, prompt.id, str("runId") ?? "", actor);
        return localRedirect(`${here}?done=cancelled`);
      case "gate": {
        const suite = str("suite") ?? "";
        await setLabelGate(db, {
          promptId: prompt.id,
          labelName: str("label") ?? "",
          suiteName: suite === "" ? null : suite,
          actor,
          authEnabled: env.ENABLE_AUTH,
        });
        return localRedirect(`${here}?done=gate`);
      }
    }
  });
}

export default function TestsPage() {
  const data = useLoaderData<typeof loader>();
  const { prompt, runs } = data;
  const result = useActionData<typeof action>();
  const problem: Problem | undefined = result && "problem" in result ? (result.problem as Problem) : undefined;
  const failedCase = result && "caseId" in result ? result.caseId : null;
  const [params] = useSearchParams();
  const done =
    params.get("done") === "imported"
      ? `Imported: ${params.get("added") ?? 0} new, ${params.get("updated") ?? 0} updated.`
      : DONE[params.get("done") ?? ""];
  usePollWhile(runs.some(isActive));
  const importIssues = problem?.issues.filter((i) => i.path[0] === "file") ?? [];
  return (
    <div className="tests-page">
      <p className="crumbs">
        <Link to="/">Library</Link> / <Link to={`/prompts/${prompt.slug}`}>{prompt.name}</Link>
      </p>
      <div className="page-header">
        <h1>Tests</h1>
        <div className="actions">
          <a className="btn" href={`/prompts/${prompt.slug}/tests/export?format=csv`} download>
            Export CSV
          </a>
          <a className="btn" href={`/prompts/${prompt.slug}/tests/export?format=jsonl`} download>
            Export JSONL
          </a>
        </div>
      </div>
      <ActionFeedback done={done} error={problem && !importIssues.length ? problem.error : undefined} />

      <TestCasesPanel data={data} problem={problem} failedCase={failedCase} importIssues={importIssues} />

      <SuitesPanel data={data} problem={problem} />

      <EvalRunsPanel data={data} problem={problem} />

      <LabelGatesPanel data={data} problem={problem} />
    </div>
  );
}
