/**
 * Form values → typed preview values. Its own module, free of Handlebars, so the builder page can
 * parse what the user types without loading the template parser (which runs in the render worker).
 */
import type { ListItemType, Variable, VariableType } from "./draft";

/** The types whose form value is JSON text: objects, conversations and lists of objects. */
export function isJsonValued(type: VariableType, itemType?: ListItemType): boolean {
  return type === "object" || type === "messages" || (type === "list" && itemType === "object");
}

/**
 * Reads a form field into a typed value: numbers from text, lists from one item per line. Returns
 * the raw text when it cannot be read, so resolveValues reports the type error.
 */
export function parseFormValue(type: VariableType, raw: string | boolean, itemType?: ListItemType): unknown {
  if (typeof raw === "boolean") return type === "boolean" ? raw : String(raw);
  if (isJsonValued(type, itemType)) {
    if (raw.trim() === "") return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw; // reported as "must be an object, got text …"
    }
  }
  switch (type) {
    case "number": {
      if (raw.trim() === "") return undefined;
      const n = Number(raw.replace(/[_\s]/g, ""));
      return Number.isFinite(n) ? n : raw;
    }
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw === "" ? undefined : raw;
    case "list": {
      const lines = raw
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "");
      if (itemType === "number") return lines.map((l) => parseFormValue("number", l));
      if (itemType === "boolean") return lines.map((l) => parseFormValue("boolean", l));
      return lines;
    }
    default:
      return raw;
  }
}

/**
 * Typed values for the declared variables from what a form or query string holds. A missing or
 * empty field is left out, so the variable's default applies.
 */
export function typedValues(
  variables: readonly Pick<Variable, "name" | "type" | "itemType">[],
  raw: Readonly<Record<string, string | boolean>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of variables) {
    const r = raw[v.name];
    if (r === undefined || r === "") continue;
    out[v.name] = parseFormValue(v.type, r, v.itemType);
  }
  return out;
}
