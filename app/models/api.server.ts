/**
 * The JSON API that serves prompts to programs: list/search, one prompt (head, a label or a
 * version number), render with variables to a target through the shared domain renderer.
 * The routes parse every input with the schemas in ~/api/schemas (which also type these results
 * and generate the OpenAPI document); problems are `{ error, issues: [{ path, message }] }` with a 4xx status.
 */
import type {
  ApiPrompt,
  ApiSnippet,
  ListQuery,
  PromptList,
  PromptSelector,
  RenderRequest,
  RenderResult,
  SnippetList,
} from "~/api/schemas";
import { API_BASE } from "~/api/schemas";
import type { Db } from "~/server/db.server";
import type { PromptDraft } from "~/prompt/draft";
import { renderDraftInPool } from "~/server/render-pool/render-pool.server";
import { requirePrompt, requireVersion, type FoundPrompt } from "./history.server";
import { labelledVersion } from "./labels.server";
import { listPrompts, type VisibleTo } from "./library.server";
import { toPromptSummary, type PromptSummary } from "./prompt-summary.server";
import { InvalidError, NotFoundError } from "~/prompt/errors";
import { jsonRepresentation, type Representation } from "~/server/http/etag.server";
import { readPromptState, renderResults, servedVersion, servePrompt } from "./serving.server";
import { groupAsIssue, groupIssues } from "~/prompt/issues";

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

export async function apiList(db: Db, query: ListQuery, visibleTo: VisibleTo = null): Promise<PromptList> {
  const page = await listPrompts(db, query, visibleTo);
  return {
    items: page.items.map((p) => ({
      ...apiFields(p),
      favorite: p.favorite,
      updatedAt: p.updatedAt,
      createdAt: p.createdAt,
      url: `${API_BASE}/prompts/${p.slug}`,
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

/** GET one prompt as a cached representation: one prepared statement per request when nothing changed. */
export async function apiGetRepresentation(db: Db, slug: string, selector: PromptSelector): Promise<Representation> {
  const state = await readPromptState(db, slug, selector);
  if (state) return servePrompt(db, state);
  return jsonRepresentation(await apiGet(db, slug, selector));
}

/** Variables sent that this version does not have: a 422 naming each, unless the request says `strict: false`. */
function refuseUnknownVariables(req: RenderRequest, known: ReadonlySet<string>) {
  if (!req.strict) return;
  const unknown = Object.keys(req.variables).filter((name) => !known.has(name));
  if (!unknown.length) return;
  throw new InvalidError(
    `This version has no variable named ${unknown.map((n) => `"${n}"`).join(", ")}.`,
    unknown.map((name) => ({
      path: ["variables", name],
      message: `not a variable of this version (send "strict": false to ignore values it does not use)`,
    })),
  );
}

async function renderResult(
  slug: string,
  version: { number: number; draft: PromptDraft },
  req: RenderRequest,
  partials: Record<string, string>,
): Promise<RenderResult> {
  const out = await renderDraftInPool(version.draft, req.target, req.variables, partials);
  if (!out.ok) {
    throw new InvalidError(
      "The prompt cannot be rendered with these variables.",
      // Each problem once, with every place it occurs (issue 9: "3 missing values" is 3, not 10).
      groupIssues(out.issues).map((g) => {
        const i = groupAsIssue(g, version.draft.sections);
        return { path: i.path[0] === "values" ? ["variables", ...i.path.slice(1)] : i.path, message: i.message };
      }),
    );
  }
  return {
    slug,
    version: version.number,
    target: req.target,
    text: out.text,
    // The target's request body (OpenAIChatRequest | AnthropicMessagesRequest; schemas.test.ts).
    ...(out.json !== undefined ? { json: out.json as RenderResult["json"] } : {}),
    variables: out.input,
    ...(out.warnings.length ? { warnings: out.warnings } : {}),
  };
}

/** The rendered target; values that do not fit the prompt's variables are an InvalidError (422). */
export async function apiRender(db: Db, slug: string, req: RenderRequest): Promise<RenderResult> {
  const { prompt, version } = await resolveVersion(db, slug, req);
  refuseUnknownVariables(req, new Set(version.draft.variables.map((v) => v.name)));
  // The snippet versions pinned when this version was saved, never the newest ones (decision 090).
  return renderResult(prompt.slug, version, req, version.partials);
}

/**
 * A render as a JSON body. A version renders the same forever for the same values: its snippets
 * are pinned (decision 090), so results are cached by version id, target and values: a repeated
 * render costs one statement; a new one goes to the render pool (docs/decisions/070, 080).
 */
export async function apiRenderBody(db: Db, slug: string, req: RenderRequest): Promise<string> {
  const state = await readPromptState(db, slug, req);
  if (!state) return JSON.stringify(await apiRender(db, slug, req));
  const version = await servedVersion(db, state.versionId!);
  refuseUnknownVariables(req, version.variableNames);
  const key = `${version.id}\u0000${state.slug}\u0000${req.target}\u0000${JSON.stringify(req.variables)}`;
  const hit = renderResults.get(key);
  if (hit !== undefined) return hit;
  const body = JSON.stringify(
    await renderResult(state.slug, { number: version.body.number, draft: version.draft }, req, version.partials),
  );
  renderResults.set(key, body, key.length + body.length);
  return body;
}

// --- snippets ----------------------------------------------------------------------------------

export async function apiSnippetList(db: Db): Promise<SnippetList> {
  const snippets = await db.snippet.findMany({
    where: { deletedAt: null },
    orderBy: { name: "asc" },
    select: { name: true, description: true, headVersion: true, updatedAt: true },
  });
  return {
    items: snippets.map((s) => ({
      ...s,
      updatedAt: s.updatedAt.toISOString(),
      url: `${API_BASE}/snippets/${encodeURIComponent(s.name)}`,
    })),
  };
}

export async function apiSnippet(db: Db, name: string, selector: { version?: number }): Promise<ApiSnippet> {
  const snippet = await db.snippet.findFirst({
    where: { name, deletedAt: null },
    select: { id: true, name: true, description: true, headVersion: true, updatedAt: true },
  });
  if (!snippet) throw NotFoundError.snippet(name);
  const number = selector.version ?? snippet.headVersion;
  const version = await db.snippetVersion.findUnique({
    where: { snippetId_number: { snippetId: snippet.id, number } },
    select: { number: true, template: true, message: true, createdAt: true, author: { select: { name: true } } },
  });
  if (!version) throw NotFoundError.version(number);
  return {
    name: snippet.name,
    description: snippet.description,
    headVersion: snippet.headVersion,
    updatedAt: snippet.updatedAt.toISOString(),
    version: {
      number: version.number,
      template: version.template,
      message: version.message,
      author: version.author?.name ?? null,
      createdAt: version.createdAt.toISOString(),
    },
  };
}
