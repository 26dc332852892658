/**
 * Two versions side by side: section by section (added, removed, moved, changed — word-level),
 * variables and model settings, and the rendered output of both for the same variable values.
 * Everything is in the URL (?a=&b=&target=&v.<name>=), so a comparison can be shared.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DiffText } from "~/components/history/DiffText";
import { DiffSummary, SchemaDiffs, SectionDiffs } from "~/components/history/DraftDiffView";
import { getDb } from "~/server/db.server";
import { comparePrompts } from "~/models/compare.server";
import { NotFoundError } from "~/prompt/errors";
import { pageLoad } from "~/server/http/problem.server";
import { TARGET_INFO, TARGETS } from "~/prompt/targets";
import libraryStyles from "~/styles/library.css";
import { requirePromptPage } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `v${data.a.number} → v${data.b.number} · ${data.prompt.name}` : "Compare"} · Prompt Builder` },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  await requirePromptPage(request, params.slug);
  const url = new URL(request.url);
  const values: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (k.startsWith("v.") && v.length <= 10_000) values[k.slice(2)] = v;
  const num = (k: string) => (/^\d{1,9}$/.test(url.searchParams.get(k) ?? "") ? Number(url.searchParams.get(k)) : NaN);
  const db = getDb();
  const c = await pageLoad(async () => {
    const head = await db.prompt.findFirst({
      where: { slug: params.slug ?? "", deletedAt: null },
      select: { headVersion: true },
    });
    if (!head) throw NotFoundError.prompt(params.slug ?? "");
    const a = url.searchParams.has("a") ? num("a") : Math.max(1, head.headVersion - 1);
    const b = url.searchParams.has("b") ? num("b") : head.headVersion;
    return comparePrompts(db, params.slug ?? "", a, b, { values, target: url.searchParams.get("target") ?? undefined });
  });
  return {
    prompt: { slug: c.prompt.slug, name: c.prompt.name },
    versions: c.versions,
    a: c.a,
    b: c.b,
    diff: c.diff,
    variables: c.variables.map((v) => ({ name: v.name, type: v.type, required: v.required })),
    values: c.values,
    target: c.target,
    rendered: c.rendered,
  };
}

export default function Compare() {
  const { prompt, versions, a, b, diff, variables, values, target, rendered } = useLoaderData<typeof loader>();
  const la = `v${a.number}`;
  const lb = `v${b.number}`;
  return (
    <div>
      <p className="crumbs">
        <Link to="/">Library</Link> / <Link to={`/prompts/${prompt.slug}`}>{prompt.name}</Link> /{" "}
        <Link to={`/prompts/${prompt.slug}/history`}>History</Link>
      </p>
      <div className="page-header">
        <h1>
          Compare {la} → {lb}
        </h1>
      </div>
      <Form method="get" className="compare-controls panel">
        <VersionSelect name="a" label="From (A)" versions={versions} defaultValue={a.number} />
        <VersionSelect name="b" label="To (B)" versions={versions} defaultValue={b.number} />
        <div className="field">
          <label htmlFor="target">Rendered as</label>
          <select id="target" name="target" defaultValue={target}>
            {TARGETS.map((t) => (
              <option key={t} value={t}>
                {TARGET_INFO[t].label}
              </option>
            ))}
          </select>
        </div>
        {variables.map((v) => (
          <div className="field" key={v.name}>
            <label htmlFor={`v-${v.name}`}>
              {v.name} <span className="muted">({v.type})</span>
            </label>
            <input id={`v-${v.name}`} name={`v.${v.name}`} type="text" defaultValue={values[v.name] ?? ""} />
          </div>
        ))}
        <button type="submit" className="btn btn-primary">
          Compare
        </button>
      </Form>
      <DiffSummary diff={diff} />
      <section aria-labelledby="sections-title" className="card panel">
        <h2 id="sections-title">Sections</h2>
        <SectionDiffs
          diff={diff}
          beforeLabel={`A · ${la}${a.message ? ` — ${a.message}` : ""}`}
          afterLabel={`B · ${lb}${b.message ? ` — ${b.message}` : ""}`}
        />
      </section>
      <section className="card panel" aria-label="Variables and model settings">
        <SchemaDiffs diff={diff} beforeLabel={la} afterLabel={lb} />
      </section>
      <section aria-labelledby="rendered-title" className="card panel">
        <h2 id="rendered-title">Rendered output ({TARGET_INFO[target].label}) for the same values</h2>
        {(
          [
            ["A", rendered.a],
            ["B", rendered.b],
          ] as const
        ).map(([name, r]) =>
          !r.ok && r.issues.length ? (
            <p key={name} className="rendered-issues">
              {name}:{" "}
              {r.issues
                .slice(0, 3)
                .map((i) => i.message)
                .join("; ")}
            </p>
          ) : null,
        )}
        <div className="diff-columns">
          <div className="diff-column">
            <div className="diff-column-label">A · {la}</div>
            <DiffText ops={rendered.ops} side="before" />
          </div>
          <div className="diff-column">
            <div className="diff-column-label">B · {lb}</div>
            <DiffText ops={rendered.ops} side="after" />
          </div>
        </div>
      </section>
    </div>
  );
}

/** Picks one version of the prompt for one side of the comparison. */
function VersionSelect({
  name,
  label,
  versions,
  defaultValue,
}: {
  name: string;
  label: string;
  versions: ReadonlyArray<{ number: number; message: string }>;
  defaultValue: number;
}) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={defaultValue}>
        {versions.map((v) => (
          <option key={v.number} value={v.number}>
            v{v.number} {v.message ? `— ${v.message.slice(0, 40)}` : ""}
          </option>
        ))}
      </select>
    </div>
  );
}
