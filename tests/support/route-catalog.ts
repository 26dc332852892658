/**
 * Every route of the app, read from app/routes/ (Remix flat routes), so a new route is covered by
 * the suites that use this without anyone listing it: its URL pattern, whether it has a loader and
 * an action, the `intent` values its action takes and the form fields it reads.
 */
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./paths";

export type RouteInfo = {
  file: string;
  /** URL segments; a parameter is `{ param: name }`. */
  segments: Array<string | { param: string }>;
  /** An index route (`_index`): its actions need `?index`. */
  index: boolean;
  loader: boolean;
  action: boolean;
  intents: string[];
  fields: string[];
  /** Query parameters it reads. */
  queries: string[];
};

const LIST_QUERY = ["q", "tag", "folder", "label", "favorite", "sort", "cursor", "limit"];
// Query parameters read through shared parsers.
const HELPER_QUERIES: Record<string, string[]> = {
  libraryPage: LIST_QUERY,
  parseListQuery: LIST_QUERY,
  parsePromptSelector: ["label", "version"],
};

// Fields the shared parse helpers read for the routes that call them (app/prompt/save-form.ts).
const HELPER_FIELDS: Record<string, string[]> = {
  parseDraftField: ["draft"],
  parseMessage: ["message"],
  parseMetaFields: ["name", "description", "tags", "folder"],
  parseBaseVersion: ["baseVersion"],
};

function segmentsOf(name: string): { segments: RouteInfo["segments"]; index: boolean } {
  // "api.openapi[.json]" → api / openapi.json; "prompts.$slug._index" → prompts / :slug (index).
  const parts = name.match(/(\[[^\]]*\]|[^.[]+)+/g) ?? [];
  const segments: RouteInfo["segments"] = [];
  let index = false;
  for (const part of parts) {
    // A trailing "_" (admin_.audit, snippets.$name_.update, auth.oidc_.callback) opts out of nesting; it is not in the URL.
    if (part === "_index") index = true;
    else if (part.startsWith("$")) segments.push({ param: part.slice(1).replace(/_$/, "") });
    else if (!part.startsWith("_")) segments.push(part.replace(/\[([^\]]*)\]/g, "$1").replace(/_$/, ""));
  }
  return { segments, index };
}

export function routeCatalog(dir = path.join(ROOT, "app", "routes")): RouteInfo[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(tsx?|jsx?)$/.test(f) && !/\.test\./.test(f))
    .sort()
    .map((file) => {
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      const { segments, index } = segmentsOf(file.replace(/\.(tsx?|jsx?)$/, ""));
      const intents = new Set<string>();
      for (const m of source.matchAll(/parseIntent\(form,\s*\[([^\]]*)\]/g))
        for (const s of m[1]!.matchAll(/"([^"]+)"/g)) intents.add(s[1]!);
      for (const m of source.matchAll(/intent === "([^"]+)"/g)) intents.add(m[1]!);
      const fields = new Set<string>();
      for (const m of source.matchAll(/form\.(?:get|getAll)\("([^"]+)"\)/g)) fields.add(m[1]!);
      for (const m of source.matchAll(/parseVersionField\(form,\s*"([^"]+)"/g)) fields.add(m[1]!);
      for (const [helper, names] of Object.entries(HELPER_FIELDS))
        if (source.includes(`${helper}(`)) names.forEach((n) => fields.add(n));
      const queries = new Set<string>();
      for (const m of source.matchAll(/searchParams\.(?:get|has|getAll)\("([^"]+)"\)/g)) queries.add(m[1]!);
      for (const m of source.matchAll(/(?:get|has)\("([^"]+)"\)/g)) if (/params/i.test(source)) queries.add(m[1]!);
      for (const [helper, names] of Object.entries(HELPER_QUERIES))
        if (source.includes(`${helper}(`)) names.forEach((n) => queries.add(n));
      return {
        file,
        queries: [...queries],
        segments,
        index,
        loader: /export (async )?function loader\b|export const loader\b/.test(source),
        action: /export (async )?function action\b|export const action\b/.test(source),
        intents: [...intents],
        fields: [...fields],
      };
    });
}
