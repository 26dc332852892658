/**
 * The providers a run may use. Minimal version on configuredProviders(env) for the evaluation
 * runs (issue 14); helper H6 replaces this file with providers configured in the database as well
 * (same two exports, same signatures).
 */
import type { Db } from "~/server/db.server";
import type { Env } from "~/server/env.server";
import { configuredProviders, type ProviderConfig } from "~/server/providers/providers.server";

export async function availableProviders(_db: Db, env: Env): Promise<ProviderConfig[]> {
  return configuredProviders(env);
}

export async function findProvider(db: Db, env: Env, id: string): Promise<ProviderConfig | null> {
  return (await availableProviders(db, env)).find((p) => p.id === id) ?? null;
}
