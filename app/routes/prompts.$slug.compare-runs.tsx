/**
 * /prompts/:slug/compare-runs: the same values against 2–4 columns, each a saved version and a
 * provider + model, streaming in parallel (each its own request, its own playground slot and its
 * own Stop), with every column's output diffed against the first. Each run is recorded.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CompareRuns } from "~/components/runs/CompareRuns";
import { runsPage } from "~/models/runs.server";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { pageLoad } from "~/server/http/problem.server";
import builderStyles from "~/styles/builder.css";
import libraryStyles from "~/styles/library.css";
import runsStyles from "~/styles/runs.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: libraryStyles },
  { rel: "stylesheet", href: builderStyles },
  { rel: "stylesheet", href: runsStyles },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Compare runs of ${data?.prompt.name ?? "prompt"} · Prompt Builder` },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug);
  const page = await pageLoad(() => runsPage(getDb(), params.slug ?? "", {}));
  return {
    prompt: page.prompt,
    versionNumbers: page.versionNumbers,
    head: page.use,
    canRun: actorOf(principal).role !== "viewer",
  };
}

export default function CompareRunsPage() {
  const { prompt, versionNumbers, head, canRun } = useLoaderData<typeof loader>();
  return (
    <div>
      <p className="crumbs">
        <Link to="/">Library</Link> / <Link to={`/prompts/${prompt.slug}`}>{prompt.name}</Link> /{" "}
        <Link to={`/prompts/${prompt.slug}/runs`}>Runs</Link>
      </p>
      <div className="page-header">
        <h1>Compare runs</h1>
      </div>
      {!head ? (
        <p className="muted">This prompt has no saved version yet.</p>
      ) : !canRun ? (
        <p className="muted">Running a prompt costs money on the provider&apos;s account: editors and admins only.</p>
      ) : (
        <CompareRuns slug={prompt.slug} versionNumbers={versionNumbers} head={head} />
      )}
    </div>
  );
}
