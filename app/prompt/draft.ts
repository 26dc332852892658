/**
 * The shape of a prompt version as it crosses boundaries (builder form, API, import files, the
 * database): ordered sections, a typed variable schema and model settings. zod is the single
 * source of truth; types are inferred from it. Pure: shared by browser and server.
 */
import { z } from "zod";
import { FIELD_TYPES, LIST_ITEM_TYPES, SECTION_KINDS, VARIABLE_TYPES } from "./kinds";
import { tagListSchema } from "./tags";

// In their own module (no zod) for pages that only need the lists; see kinds.ts.
export {
  FIELD_TYPES,
  LIST_ITEM_TYPES,
  SECTION_KINDS,
  VARIABLE_TYPES,
  type FieldType,
  type ListItemType,
  type SectionKind,
  type VariableType,
} from "./kinds";

/** Limits that keep one request from filling the database; the 10 MB section is refused here. */
export const LIMITS = {
  nameLength: 120,
  descriptionLength: 2000,
  sections: 200,
  sectionTemplateChars: 200_000,
  variables: 100,
  messageLength: 500,
  examples: 100,
} as const;

export const variableNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must start with a letter or _ and use only letters, digits and _")
  .max(64, "must be at most 64 characters");

export const exampleSchema = z.object({
  input: z.string().max(LIMITS.sectionTemplateChars),
  output: z.string().max(LIMITS.sectionTemplateChars),
});
export type Example = z.infer<typeof exampleSchema>;

export const sectionSchema = z.object({
  id: z.string().min(1).max(64).optional(),
  kind: z.enum(SECTION_KINDS),
  title: z.string().trim().max(200, "must be at most 200 characters").default(""),
  template: z
    .string()
    .max(LIMITS.sectionTemplateChars, `must be at most ${LIMITS.sectionTemplateChars.toLocaleString("en")} characters`)
    .default(""),
  enabled: z.boolean().default(true),
  /** Few-shot pairs for the "examples" kind; empty for other kinds. */
  examples: z.array(exampleSchema).max(LIMITS.examples).default([]),
});
export type Section = z.infer<typeof sectionSchema>;

const scalarValueSchema = z.union([z.string(), z.number(), z.boolean()]);
/** An object variable's value (or a list item of one): fields of text, numbers or true/false. */
const objectValueSchema = z.record(z.string().max(64), scalarValueSchema);
/** Text, a number, true/false, an object of those, or a list of any of them (depth at most 2). */
export const variableValueSchema = z.union([
  scalarValueSchema,
  objectValueSchema,
  z.array(z.union([scalarValueSchema, objectValueSchema])),
]);
export type VariableValue = z.infer<typeof variableValueSchema>;

/** A field of an object variable (or of a list's object items). */
export const fieldSchema = z.object({
  name: variableNameSchema,
  type: z.enum(FIELD_TYPES).default("string"),
  required: z.boolean().default(true),
  description: z.string().max(500).default(""),
});
export type Field = z.infer<typeof fieldSchema>;

export const variableSchema = z
  .object({
    name: variableNameSchema,
    type: z.enum(VARIABLE_TYPES).default("string"),
    /** For lists: what each item is. */
    itemType: z.enum(LIST_ITEM_TYPES).optional(),
    /** For objects and lists of objects: the fields, each typed. */
    fields: z.array(fieldSchema).max(50).optional(),
    required: z.boolean().default(true),
    default: variableValueSchema.optional(),
    enumValues: z.array(z.string().min(1)).max(100).default([]),
    description: z.string().max(500).default(""),
  })
  .superRefine((v, ctx) => {
    if (v.type === "enum" && v.enumValues.length === 0) {
      ctx.addIssue({ code: "custom", path: ["enumValues"], message: "an enum needs at least one value" });
    }
    const hasFields = v.type === "object" || (v.type === "list" && v.itemType === "object");
    if (hasFields && !v.fields?.length)
      ctx.addIssue({ code: "custom", path: ["fields"], message: "an object needs at least one field" });
    const seen = new Set<string>();
    (v.fields ?? []).forEach((f, i) => {
      if (seen.has(f.name))
        ctx.addIssue({ code: "custom", path: ["fields", i, "name"], message: `"${f.name}" is declared twice` });
      seen.add(f.name);
    });
  });
export type Variable = z.infer<typeof variableSchema>;

export const modelSettingsSchema = z.object({
  model: z.string().min(1).max(100).default("gpt-4o"),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  maxTokens: z.number().int().min(1).optional(),
  stop: z.array(z.string().min(1).max(100)).max(4).default([]),
});
export type ModelSettings = z.infer<typeof modelSettingsSchema>;

export const promptDraftSchema = z
  .object({
    sections: z.array(sectionSchema).max(LIMITS.sections).default([]),
    variables: z.array(variableSchema).max(LIMITS.variables).default([]),
    modelSettings: modelSettingsSchema.default({ model: "gpt-4o", stop: [] }),
  })
  .superRefine((draft, ctx) => {
    const seen = new Set<string>();
    draft.variables.forEach((v, i) => {
      if (seen.has(v.name))
        ctx.addIssue({ code: "custom", path: ["variables", i, "name"], message: `"${v.name}" is declared twice` });
      seen.add(v.name);
    });
    // dotprompt has one conversation history per render (`{{history}}`).
    const histories = draft.variables.filter((v) => v.type === "messages");
    if (histories.length > 1)
      ctx.addIssue({
        code: "custom",
        path: ["variables", draft.variables.lastIndexOf(histories[1]!), "type"],
        message: "a prompt has one conversation history: only one variable can be of type messages",
      });
  });
export type PromptDraft = z.infer<typeof promptDraftSchema>;

/** A folder path like "support/email"; "" is the top level. No empty, "." or ".." parts. */
export const folderPathSchema = z
  .string()
  .trim()
  .max(200)
  .refine((p) => p === "" || p.split("/").every((part) => part !== "" && part !== "." && part !== ".."), {
    message: 'must be a path like "support/email" without empty, "." or ".." parts',
  })
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), {
    message: "must not contain line breaks, tabs or other control characters",
  });

export const promptMetaSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "is required")
    .max(LIMITS.nameLength, `must be at most ${LIMITS.nameLength} characters`),
  description: z.string().trim().max(LIMITS.descriptionLength).default(""),
  tags: tagListSchema.default([]),
  folder: folderPathSchema.default(""),
});
export type PromptMeta = z.infer<typeof promptMetaSchema>;
