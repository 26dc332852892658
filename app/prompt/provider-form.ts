/**
 * The form an admin fills in to add or change a model provider (/admin/providers). Pure rules: the
 * repository (app/models/providers.server.ts) stores what passes, the key only encrypted.
 */
import { z } from "zod";

export const PROTOCOLS = ["openai", "anthropic"] as const;
export type ProviderProtocol = (typeof PROTOCOLS)[number];

export const MAX_PROVIDERS = 50;
export const MAX_ALLOWED_MODELS = 100;

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
export type ProviderForm = z.output<typeof providerFormSchema>;

/** What the page shows of a stored provider: never the key, only whether it can be read. */
export type ProviderRow = {
  id: string;
  name: string;
  protocol: ProviderProtocol;
  baseUrl: string;
  allowedModels: string[] | null;
  keyState: "set" | "unreadable";
  updatedAt: string;
};
