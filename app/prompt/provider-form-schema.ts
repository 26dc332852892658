/** The provider form's rules (app/prompt/provider-form.ts), as a zod schema; imported by the server only. */
import { z } from "zod";
import { MAX_ALLOWED_MODELS, PROTOCOLS } from "./provider-form";

/** A comma- or newline-separated list of model ids; blank means "whatever the provider lists". */
const modelList = z
  .string()
  .max(10_000, "at most 10,000 characters")
  .transform((text) => [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(
    z
      .array(
        z
          .string()
          .max(200, "a model id has at most 200 characters")
          .regex(/^[^\s]+$/, "no spaces in a model id"),
      )
      .max(MAX_ALLOWED_MODELS, `at most ${MAX_ALLOWED_MODELS} models`),
  )
  .transform((list) => (list.length ? list : null));

export const providerFormSchema = z.object({
  name: z.string().trim().min(1, "a name is required").max(60, "at most 60 characters"),
  protocol: z.enum(PROTOCOLS, { message: "openai or anthropic" }),
  baseUrl: z
    .string()
    .trim()
    .max(500, "at most 500 characters")
    .pipe(z.url({ protocol: /^https?$/, message: "an http(s) URL" }))
    .transform((u) => u.replace(/\/+$/, "")),
  /** Blank on a change keeps the stored key; required when adding. */
  apiKey: z
    .string()
    .trim()
    .max(1000, "at most 1,000 characters")
    .regex(/^[^\s]*$/, "no spaces in a key"),
  models: modelList,
});
