/**
 * Every version of a prompt, newest first (paged): number, message, author, time, the labels that
 * point at it and the label moves. Pick any two to compare; restore an old one as a new version.
 */
import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AbsoluteDate } from "~/components/library/AbsoluteDate";
import { VersionTable } from "~/components/library/VersionTable";
import { getDb } from "~/server/db.server";
import { getHistory, restoreVersion } from "~/models/history.server";
import { parseBaseVersion, parseVersionField } from "~/prompt/save-form";
import { pageAction, pageLoad, readForm } from "~/server/http/problem.server";
import libraryStyles from "~/styles/library.css";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { localRedirect } from "~/server/http/safe-redirect.server";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `History of ${data?.prompt.name ?? "prompt"} · Prompt Builder` },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  await requirePromptPage(request, params.slug);
  const url = new URL(request.url);
  const h = await pageLoad(() =>
    getHistory(getDb(), params.slug ?? "", { cursor: url.searchParams.get("before") ?? undefined }),
  );
  return {
    prompt: { slug: h.prompt.slug, name: h.prompt.name, headVersion: h.prompt.headVersion },
    versions: h.versions,
    events: h.events,
    nextCursor: h.nextCursor,
    paged: url.searchParams.has("before"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const form = await readForm(request);
  return pageAction(async () => {
    const number = parseVersionField(form, "version");
    const v = await restoreVersion(getDb(), {
      slug: params.slug ?? "",
      number,
      baseVersion: parseBaseVersion(form),
      actor: actorOf(principal, request),
    });
    return localRedirect(`/prompts/${params.slug}/history?restored=${number}&as=${v.number}`);
  });
}

export default function History() {
  const { prompt, versions, events, nextCursor, paged } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>()?.problem;
  const [restored] = useSearchParams();
  const defaultA = versions[1]?.number ?? versions[0]?.number ?? 1;
  const defaultB = versions[0]?.number ?? 1;
  return (
    <div>
      <p className="crumbs">
        <Link to="/">Library</Link> / <Link to={`/prompts/${prompt.slug}`}>{prompt.name}</Link>
      </p>
      <div className="page-header">
        <h1>History</h1>
        <Link to={`/prompts/${prompt.slug}/edit`} className="btn">
          Edit
        </Link>
      </div>
      <ActionFeedback
        done={
          restored.get("restored")
            ? `Version ${restored.get("restored")} restored as version ${restored.get("as")}.`
            : null
        }
        error={
          problem
            ? `${problem.error}${problem.conflict ? " Reload the page to see the newest version, then restore again." : ""}`
            : null
        }
      />
      <Form
        method="get"
        action={`/prompts/${prompt.slug}/compare`}
        className="panel card"
        aria-labelledby="versions-title"
      >
        <h2 id="versions-title">Versions</h2>
        <p className="muted">Choose two versions (A and B) and compare them section by section.</p>
        <VersionTable
          versions={versions}
          before={[
            {
              header: "A",
              cell: (v) => (
                <input
                  type="radio"
                  name="a"
                  value={v.number}
                  defaultChecked={v.number === defaultA}
                  aria-label={`Compare from version ${v.number}`}
                />
              ),
            },
            {
              header: "B",
              cell: (v) => (
                <input
                  type="radio"
                  name="b"
                  value={v.number}
                  defaultChecked={v.number === defaultB}
                  aria-label={`Compare to version ${v.number}`}
                />
              ),
            },
          ]}
          marks={(v) => (
            <>
              {v.number === prompt.headVersion ? <span className="badge badge-accent">newest</span> : null}{" "}
              {v.labels.map((l) => (
                <span key={l} className="badge label-badge">
                  {l}
                </span>
              ))}
              {v.labelMoves.map((m) => (
                <div key={m.id} className="muted">
                  {m.label} {m.from ? `moved here from v${m.from}` : "set here"} by {m.actor ?? "local"}
                </div>
              ))}
            </>
          )}
          after={[
            {
              header: <span className="sr-only">Run</span>,
              cell: (v) => (
                <Link
                  to={`/prompts/${prompt.slug}/runs?use=${v.number}`}
                  className="btn btn-sm"
                  aria-label={`Run version ${v.number}`}
                >
                  Run
                </Link>
              ),
            },
            {
              header: <span className="sr-only">Restore</span>,
              cell: (v) =>
                v.number !== prompt.headVersion ? (
                  <button type="submit" form={`restore-${v.number}`} className="btn btn-sm">
                    Restore
                  </button>
                ) : null,
            },
          ]}
        />
        <div className="actions">
          <button type="submit" className="btn btn-primary">
            Compare A → B
          </button>
          {paged ? (
            <Link to={`/prompts/${prompt.slug}/history`} className="btn btn-sm">
              ← Newest
            </Link>
          ) : null}
          {nextCursor ? (
            <Link to={`/prompts/${prompt.slug}/history?before=${nextCursor}`} className="btn btn-sm">
              Older versions →
            </Link>
          ) : null}
        </div>
      </Form>
      {versions
        .filter((v) => v.number !== prompt.headVersion)
        .map((v) => (
          <Form key={v.number} method="post" id={`restore-${v.number}`} hidden>
            <input type="hidden" name="version" value={v.number} />
            <input type="hidden" name="baseVersion" value={prompt.headVersion} />
          </Form>
        ))}
      <section className="panel card" aria-labelledby="moves-title">
        <h2 id="moves-title">Label moves</h2>
        {events.length ? (
          <ul className="event-list">
            {events.map((e) => (
              <li key={e.id}>
                <strong>{e.label}</strong> {e.from ? `moved from v${e.from} to v${e.to}` : `set to v${e.to}`} by{" "}
                {e.actor ?? "local"}, <AbsoluteDate iso={e.at} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No label has been moved yet.</p>
        )}
      </section>
    </div>
  );
}
