/**
 * A save that was refused because someone saved in between: both changes against the version the
 * edit started from, side by side; then merge (deciding each conflict), overwrite knowingly, or
 * discard the kept draft.
 */
import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DiffSummary, SectionDiffs, SchemaDiffs } from "~/components/history/DraftDiffView";
import { VersionTable } from "~/components/library/VersionTable";
import { plural } from "~/components/plural";
import { getDb } from "~/server/db.server";
import { getConflict, resolveConflict } from "~/models/conflict.server";
import type { Choice } from "~/prompt/merge";
import type { Section, Variable } from "~/prompt/draft";
import { InvalidError } from "~/prompt/errors";
import { parseVersionField } from "~/prompt/save-form";
import { pageAction, pageLoad, parseIntent, readForm } from "~/server/http/problem.server";
import { KIND_LABEL } from "~/prompt/targets";
import libraryStyles from "~/styles/library.css";
import { ActionFeedback } from "~/components/library/ActionFeedback";
import { localRedirect } from "~/server/http/safe-redirect.server";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Resolve conflict · ${data?.prompt.name ?? "prompt"} · Prompt Builder` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePromptPage(request, params.slug, "editor");
  const c = await pageLoad(() => getConflict(getDb(), params.slug ?? "", params.id ?? ""));
  return {
    prompt: { slug: c.prompt.slug, name: c.prompt.name },
    id: c.id,
    message: c.message,
    baseVersion: c.baseVersion,
    headVersion: c.headVersion,
    between: c.between,
    mineDiff: c.mineDiff,
    theirsDiff: c.theirsDiff,
    plan: c.plan,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const form = await readForm(request);
  return pageAction(async () => {
    const intent = parseIntent(form, ["merge", "overwrite", "discard"] as const);
    if (intent === "overwrite" && form.get("confirm") !== "yes") {
      throw new InvalidError(
        "Tick the box to confirm you want to replace the newer changes.",
        [{ path: ["confirm"], message: "Confirm to overwrite" }],
        { malformed: true },
      );
    }
    const choices: Record<string, Choice> = {};
    for (const [k, v] of form)
      if (/^(section|variable|setting):/.test(k) && (v === "mine" || v === "theirs")) choices[k] = v;
    const r = await resolveConflict(getDb(), {
      slug: params.slug ?? "",
      id: params.id ?? "",
      action: intent,
      headVersion: parseVersionField(form, "headVersion"),
      choices,
      message: String(form.get("message") ?? ""),
      actor: actorOf(principal, request),
    });
    return localRedirect(r.saved ? `/prompts/${params.slug}/history?saved=${r.saved}` : `/prompts/${params.slug}`);
  });
}

function sectionTitle(s: Section | null) {
  return s ? s.title || KIND_LABEL[s.kind] : "";
}

function SideText({ section, empty }: { section: Section | null; empty: string }) {
  if (!section) return <p className="muted">{empty}</p>;
  return (
    <pre className="template-view">
      {section.enabled ? "" : "(disabled)\n"}
      {section.template}
    </pre>
  );
}

function ConflictChoice({ name, mine, theirs }: { name: string; mine: React.ReactNode; theirs: React.ReactNode }) {
  return (
    <div className="choice-columns">
      <label className="choice">
        <input type="radio" name={name} value="mine" defaultChecked /> <strong>Keep yours</strong>
        {mine}
      </label>
      <label className="choice">
        <input type="radio" name={name} value="theirs" /> <strong>Keep theirs</strong>
        {theirs}
      </label>
    </div>
  );
}

const variableText = (v: Variable | null) =>
  v
    ? `${v.type}${v.required ? ", required" : ""}${v.default !== undefined ? `, default ${JSON.stringify(v.default)}` : ""}${v.enumValues.length ? `, one of ${v.enumValues.join(" | ")}` : ""}`
    : "removed";

export default function Conflict() {
  const { prompt, id, message, baseVersion, headVersion, between, plan, mineDiff, theirsDiff } =
    useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>()?.problem;
  const conflicts = {
    sections: plan.sections.filter((s) => s.status === "conflict"),
    variables: plan.variables.filter((s) => s.status === "conflict"),
    settings: plan.settings.filter((s) => s.status === "conflict"),
  };
  const auto = plan.sections.filter((s) => s.status === "mine" || s.status === "theirs");
  return (
    <div>
      <p className="crumbs">
        <Link to="/">Library</Link> / <Link to={`/prompts/${prompt.slug}`}>{prompt.name}</Link>
      </p>
      <div className="page-header">
        <h1>Your save conflicts with newer changes</h1>
      </div>
      <div className="alert" role="status">
        You started editing <strong>version {baseVersion}</strong>. Since then{" "}
        {plural(between.length, "this version was", "these versions were")} saved. Nothing of yours is lost: your draft
        is kept here until you decide.
      </div>
      <div className="panel card">
        <VersionTable versions={between} />
      </div>
      <ActionFeedback error={problem?.error} />

      <div className="prompt-page conflict-changes">
        <section className="panel card" aria-labelledby="mine-title">
          <h2 id="mine-title">Your changes (v{baseVersion} → your draft)</h2>
          <DiffSummary diff={mineDiff} />
          <SectionDiffs diff={mineDiff} beforeLabel={`v${baseVersion}`} afterLabel="Yours" />
          <SchemaDiffs diff={mineDiff} beforeLabel={`v${baseVersion}`} afterLabel="Yours" />
        </section>
        <section className="panel card" aria-labelledby="theirs-title">
          <h2 id="theirs-title">
            Saved in between (v{baseVersion} → v{headVersion})
          </h2>
          <DiffSummary diff={theirsDiff} />
          <SectionDiffs diff={theirsDiff} beforeLabel={`v${baseVersion}`} afterLabel={`v${headVersion}`} />
          <SchemaDiffs diff={theirsDiff} beforeLabel={`v${baseVersion}`} afterLabel={`v${headVersion}`} />
        </section>
      </div>

      <Form method="post" className="panel card" aria-labelledby="merge-title">
        <input type="hidden" name="headVersion" value={headVersion} />
        <h2 id="merge-title">Merge</h2>
        {plan.conflicts === 0 ? (
          <p>Your changes and the newer ones touch different parts: they merge without questions.</p>
        ) : (
          <p>
            {plan.conflicts} {plural(plan.conflicts, "part was", "parts were")} changed on both sides. Choose which to
            keep; everything else is merged.
          </p>
        )}
        {auto.length ? (
          <ul className="muted">
            {auto.map((s) => (
              <li key={s.key}>
                {sectionTitle(s.mine ?? s.theirs ?? s.base)}: {s.status === "mine" ? "your change" : "the newer change"}{" "}
                is kept
                {(s.status === "mine" ? s.mine : s.theirs) ? "" : " (removed)"}
              </li>
            ))}
          </ul>
        ) : null}
        {conflicts.sections.map((s) => (
          <div key={s.key} className="conflict-item is-conflict">
            <fieldset>
              <legend>Section “{sectionTitle(s.mine ?? s.theirs ?? s.base)}”</legend>
              <ConflictChoice
                name={`section:${s.key}`}
                mine={<SideText section={s.mine} empty="You removed this section." />}
                theirs={<SideText section={s.theirs} empty="It was removed in the newer version." />}
              />
            </fieldset>
          </div>
        ))}
        {conflicts.variables.map((v) => (
          <div key={v.key} className="conflict-item is-conflict">
            <fieldset>
              <legend>
                Variable <code>{v.key}</code>
              </legend>
              <ConflictChoice
                name={`variable:${v.key}`}
                mine={<p>{variableText(v.mine)}</p>}
                theirs={<p>{variableText(v.theirs)}</p>}
              />
            </fieldset>
          </div>
        ))}
        {conflicts.settings.map((v) => (
          <div key={v.key} className="conflict-item is-conflict">
            <fieldset>
              <legend>Model setting {v.key}</legend>
              <ConflictChoice
                name={`setting:${v.key}`}
                mine={<p>{JSON.stringify(v.mine)}</p>}
                theirs={<p>{JSON.stringify(v.theirs)}</p>}
              />
            </fieldset>
          </div>
        ))}
        <div className="field">
          <label htmlFor="message">Version message</label>
          <input
            id="message"
            name="message"
            type="text"
            defaultValue={message}
            placeholder={`Merged with version ${headVersion}`}
            maxLength={500}
          />
        </div>
        <div className="actions">
          <button type="submit" name="intent" value="merge" className="btn btn-primary">
            Save merged version
          </button>
          <button type="submit" name="intent" value="discard" className="btn btn-ghost" formNoValidate>
            Discard my draft
          </button>
        </div>
        <hr />
        <div className="actions">
          <label className="checkbox-field">
            <input type="checkbox" name="confirm" value="yes" aria-describedby="overwrite-hint" /> I understand my
            version replaces v{headVersion} entirely
          </label>
          <button type="submit" name="intent" value="overwrite" className="btn btn-danger">
            Overwrite with my version
          </button>
        </div>
        <p id="overwrite-hint" className="field-hint">
          Overwriting saves your draft as the next version; the newer changes stay in the history and can be restored.
        </p>
        <input type="hidden" name="id" value={id} />
      </Form>
    </div>
  );
}
