/**
 * The one shape of a problem the user or a client can fix (RFC 9457 problem details, with the
 * `{ error, issues }` members the API has always promised): pages read it as action data, the API
 * answers it as `application/problem+json`, and the OpenAPI document is generated from this schema.
 * Pages import only its types (see ~/components/issue-for.ts): building a zod object schema in the
 * browser probes `new Function`, which the page's CSP reports.
 */
import { z } from "zod";

export const issueSchema = z.object({
  path: z
    .array(z.union([z.string(), z.number()]))
    .describe("Where the problem is: a field name, then array indexes or keys. Empty for the request as a whole."),
  message: z.string(),
});

export const problemSchema = z
  .object({
    status: z.number().int().min(400).max(599).describe("The HTTP status of this answer (RFC 9457)."),
    error: z.string().describe("What went wrong, for a person (the problem's title)."),
    issues: z.array(issueSchema),
    conflict: z
      .object({
        about: z.enum(["prompt", "snippet"]).describe("What was saved in between."),
        baseVersion: z.number().int(),
        headVersion: z.number().int(),
        url: z.string().optional().describe("Where the kept draft can be merged, when it was kept."),
      })
      .optional()
      .describe("Only on a 409 version conflict: the version the edit started from and the newest one."),
  })
  .describe(
    "A problem the caller can fix: `{ status, error, issues: [{ path, message }] }` with a 4xx status (RFC 9457, application/problem+json).",
  );

export type Issue = z.infer<typeof issueSchema>;
export type Problem = z.infer<typeof problemSchema>;
