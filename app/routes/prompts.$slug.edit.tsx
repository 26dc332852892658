/**
 * The builder for an existing prompt. Saving creates the next immutable version from the version
 * the edit started from; if someone saved in between, nothing is saved: the draft is kept on the
 * server for the conflict view (merge or overwrite knowingly) and stays in the builder too.
 */
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Builder, type ActionResult } from "~/components/builder/Builder";
import { getDb } from "~/server/db.server";
import { problemOf } from "~/models/problems.server";
import { saveOrStash } from "~/models/conflict.server";
import { getPromptForEdit, getSnippetTemplates } from "~/models/prompt-store.server";
import { isFormError, parseBaseVersion, parseDraftField, parseMessage } from "~/prompt/save-form";
import { getStarter } from "~/prompt/starters";
import { workerUrl } from "~/workers/manifest.server";
import builderStyles from "~/styles/builder.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: builderStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Edit ${data.prompt.name}` : "Prompt not found"} · Prompt Builder` }];

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const found = await getPromptForEdit(db, params.slug ?? "");
  if (!found) throw new Response("There is no prompt at this address. It may have been renamed or moved to the trash.", { status: 404 });
  const partials = await getSnippetTemplates(db).catch(() => ({}));
  const { prompt, draft } = found;
  return {
    prompt: {
      id: prompt.id,
      name: prompt.name,
      slug: prompt.slug,
      description: prompt.description,
      headVersion: prompt.headVersion,
      folder: prompt.folder?.path ?? "",
      tags: prompt.tags.map((t) => t.tag.name),
    },
    draft,
    partials,
    renderWorkerUrl: workerUrl("render"),
    // Seeded starters keep their sample values, so their preview is meaningful on first open.
    sampleValues: getStarter(prompt.slug)?.sampleValues ?? {},
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const db = getDb();
  const found = await getPromptForEdit(db, params.slug ?? "");
  if (!found) return data({ error: "This prompt does not exist or is in the trash.", issues: [{ path: ["slug"], message: "not found" }] }, { status: 404 });
  const form = await request.formData();
  const d = parseDraftField(form);
  if (isFormError(d)) return data(d, { status: 400 });
  const base = parseBaseVersion(form);
  if (isFormError(base)) return data(base, { status: 400 });
  const msg = parseMessage(form);
  if (isFormError(msg)) return data(msg, { status: 400 });
  try {
    const result = await saveOrStash(db, {
      slug: found.prompt.slug,
      promptId: found.prompt.id,
      baseVersion: base.baseVersion,
      draft: d.draft,
      message: msg.message,
    });
    if ("saved" in result) return redirect(`/prompts/${found.prompt.slug}/edit?saved=${result.saved}`);
    return data(
      {
        error: `This prompt was saved as version ${result.headVersion} after you started editing version ${base.baseVersion}.`,
        issues: [{ path: ["baseVersion"], message: `the prompt is at version ${result.headVersion}` }],
        conflict: { baseVersion: base.baseVersion, headVersion: result.headVersion, url: result.conflictUrl },
      },
      { status: 409 },
    );
  } catch (e) {
    const p = problemOf(e);
    if (p) return data(p.body, { status: p.status });
    throw e;
  }
}

export default function EditPrompt() {
  const { prompt, draft, partials, sampleValues, renderWorkerUrl } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = Number(params.get("saved")) || null;
  return (
    <Builder
      key={`${prompt.slug}:${prompt.headVersion}`}
      mode="edit"
      storageKey={prompt.slug}
      title={prompt.name}
      promptHref={`/prompts/${prompt.slug}`}
      initialDraft={draft}
      initialValues={sampleValues}
      initialMeta={{ name: prompt.name, description: prompt.description, tags: prompt.tags, folder: prompt.folder }}
      baseVersion={prompt.headVersion}
      partials={partials}
      renderWorkerUrl={renderWorkerUrl}
      actionData={(actionData as ActionResult | undefined) ?? null}
      savedVersion={saved === prompt.headVersion ? saved : null}
    />
  );
}
