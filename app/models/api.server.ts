/**
 * The JSON API that serves prompts to programs: list/search, one prompt (head, a label or a
 * version number), render with variables to a target through the shared domain renderer.
 * The routes parse every input with the schemas in ~/api/schemas (which also type these results
 * and generate the OpenAPI document); problems are `{ error, issues: [{ path, message }] }` with a 4xx status.
 */
import type { ApiPrompt, ListQuery, PromptList, PromptSelector, RenderRequest, RenderResult } from "~/api/schemas";
import type { Db } from "~/server/db.server";
import type { PromptDraft } from "~/prompt/draft";
import { renderDraftInPool } from "~/server/render-pool/render-pool.server";
import { requirePrompt, requireVersion, type FoundPrompt } from "./history.server";
import { labelledVersion } from "./labels.server";
import { listPrompts } from "./library.server";
import { toPromptSummary, type PromptSummary } from "./prompt-summary.server";
import { InvalidError, NotFoundError } from "~/prompt/errors";

/** What a listed prompt and a fetched prompt have in common. */
function apiFields(p: PromptSummary) {
  return {
    slug: p.slug,
    name: p.name,
    description: p.description,
    folder: p.folder || null,
    tags: p.tags,
    labels: Object.fromEntries(p.labels.map((l) => [l.name, l.version])),
    headVersion: p.headVersion,
  };
}

export async function apiList(db: Db, query: ListQuery): Promise<PromptList> {
  const page = await listPrompts(db, query);
  return {
    items: page.items.map((p) => ({
      ...apiFields(p),
      favorite: p.favorite,
      updatedAt: p.updatedAt,
      createdAt: p.createdAt,
      url: `/api/prompts/${p.slug}`,
    })),
    nextCursor: page.nextCursor,
    sort: page.sort,
  };
}

async function resolveVersion(db: Db, slug: string, selector: { label?: string; version?: number }) {
  const prompt = await requirePrompt(db, slug);
  let number = prompt.headVersion;
  if (selector.label) {
    const n = await labelledVersion(db, prompt.id, selector.label);
    if (n === null) throw NotFoundError.label(selector.label);
    number = n;
  } else if (selector.version) number = selector.version;
  const version = await requireVersion(db, prompt.id, number);
  return { prompt, version };
}

function promptJson(
  found: FoundPrompt,
  version: { number: number; message: string; author: string | null; createdAt: string; draft: PromptDraft },
): ApiPrompt {
  return {
    ...apiFields(toPromptSummary(found)),
    version: {
      number: version.number,
      message: version.message,
      author: version.author,
      createdAt: version.createdAt,
      sections: version.draft.sections.map(({ id: _id, ...s }) => s),
      variables: version.draft.variables,
      modelSettings: version.draft.modelSettings,
    },
  };
}

export async function apiGet(db: Db, slug: string, selector: PromptSelector): Promise<ApiPrompt> {
  const { prompt, version } = await resolveVersion(db, slug, selector);
  return promptJson(prompt, version);
}

/** The rendered target; values that do not fit the prompt's variables are an InvalidError (422). */
export async function apiRender(db: Db, slug: string, req: RenderRequest): Promise<RenderResult> {
  const { prompt, version } = await resolveVersion(db, slug, req);
  const out = await renderDraftInPool(version.draft, req.target, req.variables, version.partials);
  if (!out.ok) {
    throw new InvalidError(
      "The prompt cannot be rendered with these variables.",
      out.issues.map((i) => ({
        path: i.path[0] === "values" ? ["variables", ...i.path.slice(1)] : i.path,
        message: i.message,
      })),
    );
  }
  return {
    slug: prompt.slug,
    version: version.number,
    target: req.target,
    text: out.text,
    // The target's request body (OpenAIChatRequest | AnthropicMessagesRequest; schemas.test.ts).
    ...(out.json !== undefined ? { json: out.json as RenderResult["json"] } : {}),
    variables: out.input,
  };
}
