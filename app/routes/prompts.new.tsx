/**
 * New prompt: pick a starter template (or a blank page), or import a `.prompt` file, then build it;
 * "Create prompt" saves it as version 1 and opens the builder for it. Choosing a starter is a plain
 * link and the import a plain multipart form, so this page works before (or without) JavaScript.
 */
import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { issueFor } from "~/components/issue-for";
import { parseDotprompt } from "~/prompt/dotprompt-import";
import { InvalidError } from "~/prompt/errors";
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
  // The import form posts here: the builder it opens needs the snippets and the render worker.
  if (choice === "import") return { starters, starter: null, partials, renderWorkerUrl };
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

/** The largest `.prompt` file the import reads (its text is parsed into a draft, nothing is saved yet). */
const MAX_IMPORT_BYTES = 1_000_000;

/** A `.prompt` file from the import form → the draft the builder opens with (docs/decisions/127). */
async function importDotprompt(form: FormData) {
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) throw InvalidError.field("file", "Choose a .prompt file.");
  if (file.size > MAX_IMPORT_BYTES)
    throw InvalidError.field("file", `The file is larger than ${MAX_IMPORT_BYTES.toLocaleString("en")} bytes.`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    throw InvalidError.field("file", "The file is not UTF-8 text.");
  }
  const imported = await parseDotprompt(text);
  const fromFileName = file.name
    .replace(/\.prompt$/i, "")
    .replace(/[-_]+/g, " ")
    .trim();
  return {
    imported: {
      name: (imported.name ?? fromFileName).slice(0, 120),
      description: imported.description,
      draft: imported.draft,
      warnings: imported.warnings,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "editor");
  const form = await readForm(request);
  return pageAction(async () => {
    if (form.get("intent") === "import") return importDotprompt(form);
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

function ImportForm({ error }: { error: string | undefined }) {
  return (
    <Form
      method="post"
      action="?starter=import"
      encType="multipart/form-data"
      className="import-form"
      aria-labelledby="import-title"
    >
      <h2 id="import-title">Import a .prompt file</h2>
      <p className="muted">
        A dotprompt file: its role blocks become sections, its input schema typed variables, its model and config the
        settings. You review it in the builder before it is saved.
      </p>
      <input type="hidden" name="intent" value="import" />
      <div className="field">
        <label htmlFor="import-file">File</label>
        <input
          id="import-file"
          name="file"
          type="file"
          accept=".prompt,text/plain"
          required
          aria-invalid={!!error}
          aria-describedby="file-error"
        />
        <span id="file-error" className="field-error">
          {error}
        </span>
      </div>
      <button type="submit" className="btn">
        Import .prompt
      </button>
    </Form>
  );
}

function StarterGallery({
  starters,
  importError,
}: {
  starters: ReturnType<typeof useLoaderData<typeof loader>>["starters"];
  importError: string | undefined;
}) {
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
      <ImportForm error={importError} />
    </section>
  );
}

export default function NewPrompt() {
  const { starters, starter, partials, renderWorkerUrl } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const imported = actionData && "imported" in actionData ? actionData.imported : null;
  const problem = actionData && "problem" in actionData ? actionData.problem : null;
  if (imported)
    return (
      <>
        {imported.warnings.length ? (
          <ul className="alert alert-warning import-warnings" role="status">
            {imported.warnings.map((w: string) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
        <Builder
          key="import"
          mode="new"
          storageKey="new:import"
          title={imported.name || "Imported prompt"}
          initialDraft={imported.draft}
          initialMeta={{ name: imported.name, description: imported.description, tags: [], folder: "" }}
          initialValues={{}}
          baseVersion={0}
          partials={partials}
          renderWorkerUrl={renderWorkerUrl}
          actionData={null}
        />
      </>
    );
  if (!starter) return <StarterGallery starters={starters} importError={issueFor(problem, "file")} />;
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
      actionData={problem}
    />
  );
}
