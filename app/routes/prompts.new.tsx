/**
 * New prompt: pick a starter template (or a blank page), then build it; "Create prompt" saves it
 * as version 1 and opens the builder for it. Choosing a starter is a plain link, so this page
 * works before (or without) JavaScript.
 */
import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Builder } from "~/components/builder/Builder";
import { getDb } from "~/server/db.server";
import { createPrompt, getSnippetTemplates } from "~/models/prompt-store.server";
import { parseDraftField, parseMessage, parseMetaFields } from "~/prompt/save-form";
import { pageAction, readForm } from "~/server/http/problem.server";
import { emptyDraft } from "~/prompt/sections";
import { getStarter, STARTER_TEMPLATES } from "~/prompt/starters";
import { KIND_LABEL } from "~/prompt/targets";
import { workerUrl } from "~/workers/manifest.server";
import builderStyles from "~/styles/builder.css";
import { localRedirect } from "~/server/http/safe-redirect.server";
import { actorOf, requireUser } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: builderStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.starter ? `New: ${data.starter.name}` : "New prompt"} · Prompt Builder` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "editor");
  const url = new URL(request.url);
  const choice = url.searchParams.get("starter");
  const starters = STARTER_TEMPLATES.map((s) => ({
    slug: s.slug,
    name: s.name,
    description: s.description,
    tags: s.tags,
    kinds: s.draft.sections.map((x) => x.kind),
    variables: s.draft.variables.length,
    model: s.draft.modelSettings.model,
  }));
  if (!choice) return { starters, starter: null, partials: {}, renderWorkerUrl: null };
  const partials = await getSnippetTemplates(getDb()).catch(() => ({}));
  const renderWorkerUrl = workerUrl("render");
  if (choice === "blank") {
    return {
      starters,
      partials,
      renderWorkerUrl,
      starter: {
        slug: "blank",
        name: "",
        description: "",
        tags: [] as string[],
        folder: "",
        draft: emptyDraft(),
        sampleValues: {},
      },
    };
  }
  const starter = getStarter(choice);
  if (!starter) throw new Response("There is no starter template with that name.", { status: 404 });
  return { starters, partials, renderWorkerUrl, starter };
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "editor");
  const form = await readForm(request);
  return pageAction(async () => {
    const draft = parseDraftField(form);
    const meta = parseMetaFields(form);
    const message = parseMessage(form);
    const { prompt } = await createPrompt(getDb(), {
      meta,
      draft,
      message: message || "Created",
      actor: actorOf(principal, request),
    });
    return localRedirect(`/prompts/${prompt.slug}/edit?saved=1`);
  });
}

function StarterGallery({ starters }: { starters: ReturnType<typeof useLoaderData<typeof loader>>["starters"] }) {
  return (
    <section aria-labelledby="new-title" className="starter-page">
      <div className="page-header">
        <div>
          <h1 id="new-title">New prompt</h1>
          <p className="muted">
            Start from a template a practitioner would use, or from a blank page. Everything is editable.
          </p>
        </div>
      </div>
      <ul className="starter-grid">
        <li>
          <Link to="?starter=blank" className="starter-card starter-blank">
            <span className="starter-name">Blank prompt</span>
            <span className="starter-desc">A role and a task section; add the rest as you go.</span>
          </Link>
        </li>
        {starters.map((s) => (
          <li key={s.slug}>
            <Link to={`?starter=${s.slug}`} className="starter-card">
              <span className="starter-name">{s.name}</span>
              <span className="starter-desc">{s.description}</span>
              <span className="starter-kinds" aria-label="Sections">
                {s.kinds.map((k, i) => (
                  <span key={i} className={`kind-dot kind-${k}`} title={KIND_LABEL[k]} />
                ))}
                <span className="starter-meta">
                  {s.variables} variables · {s.model}
                </span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function NewPrompt() {
  const { starters, starter, partials, renderWorkerUrl } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!starter) return <StarterGallery starters={starters} />;
  return (
    <Builder
      key={starter.slug}
      mode="new"
      storageKey={`new:${starter.slug}`}
      title={starter.name || "New prompt"}
      initialDraft={starter.draft}
      initialMeta={{ name: starter.name, description: starter.description, tags: starter.tags, folder: starter.folder }}
      initialValues={starter.sampleValues}
      baseVersion={0}
      partials={partials}
      renderWorkerUrl={renderWorkerUrl}
      actionData={actionData?.problem ?? null}
    />
  );
}
