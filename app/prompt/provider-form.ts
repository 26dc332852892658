/**
 * The form an admin fills in to add or change a model provider (/admin/providers). Pure rules: the
 * repository (app/models/providers.server.ts) stores what passes, the key only encrypted. The zod
 * schema is in provider-form-schema.ts (server only: a zod schema built in the browser trips the CSP).
 */
export const PROTOCOLS = ["openai", "anthropic"] as const;
export type ProviderProtocol = (typeof PROTOCOLS)[number];

export const MAX_PROVIDERS = 50;
export const MAX_ALLOWED_MODELS = 100;

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
