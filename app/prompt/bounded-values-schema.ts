/**
 * Render values as the API accepts them, in zod (and so in the OpenAPI document): text, a number,
 * true/false, an object of those, or a list, within the caps of app/prompt/template-limits.ts. The
 * caps are checks on the union rather than parts of it, so a value over one gets that message, not
 * the union's "Invalid input". Kept apart from template-limits.ts so that the render worker threads,
 * which import the limits, do not load zod (docs/decisions/131).
 */
import { z } from "zod";
import { MAX_VALUE_NAME_CHARS, valueCapIssues, valuesTotalMessage } from "./template-limits";

const boundedScalar = z.union([z.string(), z.number(), z.boolean()]);
const boundedObject = z.record(z.string().max(MAX_VALUE_NAME_CHARS), boundedScalar);

/** One variable value: text, a number, true/false, an object of those, or a list, within the caps. */
export const boundedValueSchema = z
  .union([boundedScalar, boundedObject, z.array(z.union([boundedScalar, boundedObject]))])
  .superRefine((v, ctx) => {
    for (const issue of valueCapIssues(v)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  });

/** Values by variable name, each within its caps and all together within MAX_VALUES_CHARS. */
export const boundedValuesSchema = z
  .record(z.string().max(MAX_VALUE_NAME_CHARS), boundedValueSchema)
  .superRefine((values, ctx) => {
    const total = valuesTotalMessage(values);
    if (total) ctx.addIssue({ code: "custom", path: [], message: total });
  });
