/**
 * The API's hot read path (docs/decisions/080-fast-cached-api-reads.md). Versions are immutable,
 * so what a version is read, parsed and rendered to is cached by version id for the life of the
 * process (bounded). What moves — the prompt's name, folder, tags, labels and head — is read on
 * every request with one prepared statement through the raw reader (no Prisma query building), so
 * a label moved by any replica is served by every replica from the next request on.
 */
import { z } from "zod";
import type { ApiPrompt } from "~/api/schemas";
import { BoundedCache } from "~/prompt/bounded-cache";
import type { PromptDraft } from "~/prompt/draft";
import { NotFoundError } from "~/prompt/errors";
import type { Db } from "~/server/db.server";
import { rawReader } from "~/server/db.server";
import type { RawReader } from "~/server/db/raw-reader.server";
import { etagFor, type Representation } from "~/server/http/etag.server";
import { parseRecord, storedJson } from "./corrupt-record.server";
import { versionInclude, versionToDraft } from "./prompt-store.server";
import { partialsOf } from "./snippet-pins.server";
import { CACHE_CHARS } from "~/prompt/cache-budgets";

/** What one request reads: the prompt's moving parts and the id of the version asked for. */
export type PromptState = {
  id: string;
  slug: string;
  name: string;
  description: string;
  folder: string | null;
  tags: string[];
  labels: Record<string, number>;
  headVersion: number;
  /** The version asked for (head, label or number); null when it does not exist. */
  versionId: string | null;
  author: string | null;
};

type StateRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  headVersion: number;
  folder: string | null;
  labels: string | Array<[string, number]> | null;
  tags: string | string[] | null;
  versionId: string | null;
  author: string | null;
};

/** One statement: the prompt at $1, its labels (by name) and tags, and the version of label $2 / number $3 / head. */
function stateSql(kind: RawReader["kind"]): string {
  const pgsql = kind === "postgres";
  const label = pgsql ? "$2::text" : "$2";
  const number = pgsql ? "$3::int" : "$3";
  const labels = pgsql
    ? `(SELECT json_agg(json_build_array(l."name", lv."number") ORDER BY l."name") FROM "Label" l JOIN "PromptVersion" lv ON lv."id" = l."versionId" WHERE l."promptId" = p."id")`
    : `(SELECT json_group_array(json_array(name, number)) FROM (SELECT l."name" AS name, lv."number" AS number FROM "Label" l JOIN "PromptVersion" lv ON lv."id" = l."versionId" WHERE l."promptId" = p."id" ORDER BY l."name"))`;
  const tags = pgsql
    ? `(SELECT json_agg(t."name") FROM "PromptTag" pt JOIN "Tag" t ON t."id" = pt."tagId" WHERE pt."promptId" = p."id")`
    : `(SELECT json_group_array(t."name") FROM "PromptTag" pt JOIN "Tag" t ON t."id" = pt."tagId" WHERE pt."promptId" = p."id")`;
  return `SELECT p."id", p."slug", p."name", p."description", p."headVersion", f."path" AS "folder",
  ${labels} AS "labels", ${tags} AS "tags", v."id" AS "versionId", u."name" AS "author"
FROM "Prompt" p
LEFT JOIN "Folder" f ON f."id" = p."folderId"
LEFT JOIN "PromptVersion" v ON v."promptId" = p."id" AND v."number" = CASE
  WHEN ${label} IS NOT NULL THEN (SELECT lv."number" FROM "Label" l JOIN "PromptVersion" lv ON lv."id" = l."versionId" WHERE l."promptId" = p."id" AND l."name" = ${label})
  WHEN ${number} IS NOT NULL THEN ${number}
  ELSE p."headVersion" END
LEFT JOIN "User" u ON u."id" = v."authorId"
WHERE p."slug" = $1 AND p."deletedAt" IS NULL`;
}

/**
 * SQLite only: the last rows of each state statement, kept while the database's change token
 * (`PRAGMA data_version`) stays the same — any commit by any connection or process moves it, so a
 * poll between writes reads no table at all. PostgreSQL has no such signal: it runs the statement.
 */
const stateMemo = new BoundedCache<{ token: number; rows: StateRow[] }>(2_000, CACHE_CHARS.labelState);

async function stateRows(reader: RawReader, params: [string, string | null, number | null]) {
  const name = "prompt_state";
  const token = reader.changeToken();
  const key = token === null ? "" : `${name}\u0000${params.join("\u0000")}`;
  if (token !== null) {
    const hit = stateMemo.get(key);
    if (hit && hit.token === token) return hit.rows;
  }
  const rows = await reader.all<StateRow>(name, stateSql(reader.kind), params);
  if (token !== null) stateMemo.set(key, { token, rows }, key.length + 1_000);
  return rows;
}

const labelsSchema = z.array(z.tuple([z.string(), z.number().int()]));
const tagsSchema = z.array(z.string());

/** An aggregated column, read through its schema: JSON text on SQLite, parsed already on PostgreSQL, null for no rows. */
function aggregate<S extends z.ZodType>(schema: S, row: StateRow, column: "labels" | "tags"): z.output<S> | null {
  const value = row[column];
  if (value === null) return null;
  const where = { table: "Prompt", id: row.id };
  return parseRecord(schema, typeof value === "string" ? storedJson(value, { ...where, column }) : value, where);
}

/**
 * The prompt's current state and the version id asked for; NotFoundError for an unknown prompt,
 * label or version. Null when no raw reader exists (an in-memory database): callers use Prisma.
 */
export async function readPromptState(
  db: Db,
  slug: string,
  selector: { label?: string; version?: number },
): Promise<PromptState | null> {
  const reader = rawReader(db);
  if (!reader) return null;
  const rows = await stateRows(reader, [slug, selector.label ?? null, selector.version ?? null]);
  const row = rows[0];
  if (!row) throw NotFoundError.prompt(slug);
  const labels = Object.fromEntries(aggregate(labelsSchema, row, "labels") ?? []);
  if (selector.label && !(selector.label in labels)) throw NotFoundError.label(selector.label);
  if (!row.versionId) throw NotFoundError.version(selector.version ?? Number(row.headVersion));
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    folder: row.folder || null,
    tags: (aggregate(tagsSchema, row, "tags") ?? []).sort(),
    labels,
    headVersion: Number(row.headVersion),
    versionId: row.versionId,
    author: row.author,
  };
}

/** An immutable version as the API serves it (without its author, read per request), and its draft. */
export type ServedVersion = {
  id: string;
  body: Omit<ApiPrompt["version"], "author">;
  draft: PromptDraft;
  variableNames: ReadonlySet<string>;
  /** The snippet templates this version pinned when it was saved (decision 090). */
  partials: Record<string, string>;
};

/** Characters a version takes in the cache (its templates dominate). */
const versionSize = (v: ServedVersion) => (JSON.stringify(v.body).length + JSON.stringify(v.partials).length) * 2;

// Bounded like every cache (entries and characters; docs/decisions/070, point 4).
const versions = new BoundedCache<ServedVersion>(2_000, CACHE_CHARS.servedVersions);

/** Version `id`, read once and then served from memory (versions never change). */
export async function servedVersion(db: Db, id: string): Promise<ServedVersion> {
  const hit = versions.get(id);
  if (hit) return hit;
  const row = await db.promptVersion.findUnique({ where: { id }, include: versionInclude });
  if (!row) throw NotFoundError.version(0);
  const draft = versionToDraft(row);
  const served: ServedVersion = {
    id,
    body: {
      number: row.number,
      message: row.message,
      createdAt: row.createdAt.toISOString(),
      sections: draft.sections.map(({ id: _id, ...s }) => s),
      variables: draft.variables,
      modelSettings: draft.modelSettings,
    },
    draft,
    variableNames: new Set(draft.variables.map((v) => v.name)),
    partials: partialsOf(row.snippetPins),
  };
  versions.set(id, served, versionSize(served));
  return served;
}

const representations = new BoundedCache<Representation>(2_000, CACHE_CHARS.representations);

/**
 * GET a prompt: the JSON body and ETag for this state. The body is built once per version and
 * state (`key`), so a poll that finds nothing changed costs one statement and a map lookup.
 */
export async function servePrompt(db: Db, state: PromptState): Promise<Representation> {
  const meta = {
    slug: state.slug,
    name: state.name,
    description: state.description,
    folder: state.folder,
    tags: state.tags,
    labels: state.labels,
    headVersion: state.headVersion,
  };
  const key = `${state.versionId}\u0000${state.author ?? "\u0001"}\u0000${JSON.stringify(meta)}`;
  const hit = representations.get(key);
  if (hit) return hit;
  const version = await servedVersion(db, state.versionId!);
  const prompt: ApiPrompt = { ...meta, version: { ...version.body, author: state.author } };
  const body = JSON.stringify(prompt);
  const made = { body, etag: etagFor(body, version.id) };
  representations.set(key, made, key.length + body.length);
  return made;
}

/** Cached render results, by version, snippet state, target, strictness and values. */
export const renderResults = new BoundedCache<string>(1_000, CACHE_CHARS.renderResults);
