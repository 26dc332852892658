/**
 * Section kinds and variable types. Their own module, free of zod, so the builder page can list
 * them without loading zod: zod 4 probes `new Function` when it defines an object schema, which
 * the page's CSP reports as a violation (and the page never validates with zod anyway).
 */
export const SECTION_KINDS = [
  "system",
  "context",
  "task",
  "examples",
  "constraints",
  "output_format",
  "custom",
] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export const VARIABLE_TYPES = ["string", "text", "number", "boolean", "enum", "list", "object", "messages"] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

/** What a list holds: text, numbers, true/false, or objects with the variable's fields. */
export const LIST_ITEM_TYPES = ["string", "number", "boolean", "object"] as const;
export type ListItemType = (typeof LIST_ITEM_TYPES)[number];

/** The types of an object's fields. */
export const FIELD_TYPES = ["string", "number", "boolean"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
