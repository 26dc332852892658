/**
 * The builder for an existing prompt. Saving creates the next immutable version from the version
 * the edit started from; if someone saved in between, nothing is saved: the draft is kept on the
 * server for the conflict view (merge or overwrite knowingly) and stays in the builder too.
 */
import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Builder } from "~/components/builder/Builder";
import { getDb } from "~/server/db.server";
import { saveOrStash } from "~/models/conflict.server";
import { getPromptForEdit, getSnippetTemplates } from "~/models/prompt-store.server";
import { NotFoundError, VersionConflictError } from "~/prompt/errors";
import { parseBaseVersion, parseDraftField, parseMessage } from "~/prompt/save-form";
import { pageAction, pageLoad, problemData, readForm } from "~/server/http/problem.server";
import { getStarter } from "~/prompt/starters";
import { typedValues } from "~/prompt/form-values";
import { DEFAULT_TEST_SET, readTestValueSets } from "~/prompt/test-values";
import { workerUrl } from "~/workers/manifest.server";
import builderStyles from "~/styles/builder.css";
import { localRedirect } from "~/server/http/safe-redirect.server";
import { actorOf, requirePromptPage } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: builderStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `Edit ${data.prompt.name}` : "Prompt not found"} · Prompt Builder` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePromptPage(request, params.slug, "editor");
  const db = getDb();
  const found = await pageLoad(async () => {
    const prompt = await getPromptForEdit(db, params.slug ?? "");
    if (!prompt) throw NotFoundError.prompt(params.slug ?? "");
    return prompt;
  });
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
    // The prompt's saved test values (the server copy; localStorage is a cache of it), over a
    // seeded starter's sample values, so the preview is meaningful in any browser.
    sampleValues: {
      ...(getStarter(prompt.slug)?.sampleValues ?? {}),
      ...typedValues(draft.variables, readTestValueSets(prompt.testValues)[DEFAULT_TEST_SET] ?? {}),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptPage(request, params.slug, "editor");
  const db = getDb();
  const form = await readForm(request);
  return pageAction(async () => {
    const found = await getPromptForEdit(db, params.slug ?? "");
    if (!found) throw NotFoundError.prompt(params.slug ?? "");
    const draft = parseDraftField(form);
    const baseVersion = parseBaseVersion(form);
    const message = parseMessage(form);
    const result = await saveOrStash(db, {
      slug: found.prompt.slug,
      promptId: found.prompt.id,
      baseVersion,
      draft,
      message,
      actor: actorOf(principal, request),
    });
    if ("saved" in result) return localRedirect(`/prompts/${found.prompt.slug}/edit?saved=${result.saved}`);
    // Not saved, but the draft is kept: the conflict names where it can be merged.
    return problemData(
      new VersionConflictError("prompt", found.prompt.id, baseVersion, result.headVersion, result.conflictUrl),
    );
  });
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
      testValuesUrl={`/prompts/${prompt.slug}/test-values`}
      initialMeta={{ name: prompt.name, description: prompt.description, tags: prompt.tags, folder: prompt.folder }}
      baseVersion={prompt.headVersion}
      partials={partials}
      renderWorkerUrl={renderWorkerUrl}
      actionData={actionData?.problem ?? null}
      savedVersion={saved === prompt.headVersion ? saved : null}
    />
  );
}
