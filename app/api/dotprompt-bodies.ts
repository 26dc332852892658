/**
 * The write API's `.prompt` bodies (Content-Type `text/x-dotprompt`, docs/decisions/127): the file
 * is the version; what a file does not hold comes from the query — `baseVersion` and `message` for a
 * new version; `name` (else the front matter's `name`), `folder`, `tags`, `slug`, `message` for a
 * new prompt. The result goes through the same request schema as a JSON body. Pure.
 */
import { parseDotprompt } from "~/prompt/dotprompt-import";
import { refuseUnknownParameters } from "./schemas";

export const DOTPROMPT_TYPE = "text/x-dotprompt";

function queryOf(query: URLSearchParams, keys: readonly string[]): Record<string, string> {
  refuseUnknownParameters(query, keys, "with a .prompt body this takes");
  return Object.fromEntries(keys.flatMap((k) => (query.has(k) ? [[k, query.get(k)!]] : [])));
}

const numberOrText = (v: string | undefined) => (v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : v);

/** POST /api/v1/prompts/{slug}/versions?baseVersion=N&message=… with a `.prompt` body. */
export async function dotpromptVersionBody(text: string, query: URLSearchParams) {
  const q = queryOf(query, ["baseVersion", "message"]);
  const { draft } = await parseDotprompt(text);
  return {
    ...(q.baseVersion !== undefined ? { baseVersion: numberOrText(q.baseVersion) } : {}),
    ...(q.message !== undefined ? { message: q.message } : {}),
    sections: draft.sections.map(({ id: _id, ...s }) => s),
    variables: draft.variables,
    modelSettings: draft.modelSettings,
  };
}

/** POST /api/v1/prompts?name=…&folder=…&tags=a,b&slug=…&message=… with a `.prompt` body. */
export async function dotpromptCreateBody(text: string, query: URLSearchParams) {
  const q = queryOf(query, ["name", "folder", "tags", "slug", "message"]);
  const imported = await parseDotprompt(text);
  const name = q.name ?? imported.name;
  return {
    ...(name !== undefined ? { name } : {}),
    description: imported.description,
    ...(q.folder !== undefined ? { folder: q.folder } : {}),
    ...(q.tags !== undefined
      ? {
          tags: q.tags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        }
      : {}),
    ...(q.slug !== undefined ? { slug: q.slug } : {}),
    ...(q.message !== undefined ? { message: q.message } : {}),
    sections: imported.draft.sections.map(({ id: _id, ...s }) => s),
    variables: imported.draft.variables,
    modelSettings: imported.draft.modelSettings,
  };
}
