/**
 * Model providers: the environment's (`OPENAI_*`, `ANTHROPIC_*`, read-only) and those an admin
 * configured in the app (the `ModelProvider` table, key encrypted with PROVIDER_KEY_SECRET). One
 * merged lookup for the playground, comparisons and evaluations: `availableProviders` and
 * `findProvider`. Keys are decrypted here, on the server, for the call only: nothing returned to a
 * page carries one (`ProviderRow`, `ProviderInfo`).
 */
import { randomUUID } from "node:crypto";
import { InvalidError, NotFoundError } from "~/prompt/errors";
import { MAX_PROVIDERS, PROTOCOLS, type ProviderProtocol, type ProviderRow } from "~/prompt/provider-form";
import { providerFormSchema } from "~/prompt/provider-form-schema";
import { parseInput } from "~/prompt/zod-issues";
import type { Db } from "~/server/db.server";
import { recordAudit, type Actor } from "./audit.server";
import type { Env } from "~/server/env.server";
import { logger } from "~/server/logger.server";
import { ProviderKeyError, openKey, sealKey, sealedWith, secretId } from "~/server/providers/key-crypto.server";
import {
  configuredProviders,
  forgetModelList,
  providerInfos,
  type ProviderConfig,
  type ProviderInfo,
} from "~/server/providers/providers.server";

export type { ProviderConfig, ProviderInfo };

type Row = {
  id: string;
  name: string;
  protocol: string;
  baseUrl: string;
  keyCiphertext: string;
  allowedModels: string | null;
  updatedAt: Date;
};

const protocolOf = (value: string): ProviderProtocol =>
  (PROTOCOLS as readonly string[]).includes(value) ? (value as ProviderProtocol) : "openai";

function modelsOf(row: Row): string[] | null {
  if (!row.allowedModels) return null;
  try {
    const list: unknown = JSON.parse(row.allowedModels);
    return Array.isArray(list) ? list.filter((m): m is string => typeof m === "string") : null;
  } catch {
    return null;
  }
}

function configOf(row: Row, env: Env): ProviderConfig {
  return {
    id: row.id,
    name: row.name,
    protocol: protocolOf(row.protocol),
    baseUrl: row.baseUrl,
    apiKey: openKey(row.keyCiphertext, row.id, env.PROVIDER_KEY_SECRET),
    allowedModels: modelsOf(row) ?? undefined,
    source: "app",
  };
}

function readable(row: Row, env: Env): boolean {
  const kid = sealedWith(row.keyCiphertext);
  return kid !== null && env.PROVIDER_KEY_SECRET.some((s) => secretId(s) === kid);
}

/** The providers configured in the app, for the admin page: never the key. */
export async function listProviderRows(db: Db, env: Env): Promise<ProviderRow[]> {
  const rows = await db.modelProvider.findMany({ orderBy: { name: "asc" }, take: MAX_PROVIDERS });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    protocol: protocolOf(row.protocol),
    baseUrl: row.baseUrl,
    allowedModels: modelsOf(row),
    keyState: readable(row, env) ? "set" : "unreadable",
    updatedAt: row.updatedAt.toISOString(),
  }));
}

/**
 * Every provider the playground may call: the environment's, then the app's. A row whose key no
 * configured secret opens is left out (and logged, without the key), not a crash.
 */
export async function availableProviders(db: Db, env: Env): Promise<ProviderConfig[]> {
  const rows = await db.modelProvider.findMany({ orderBy: { name: "asc" }, take: MAX_PROVIDERS });
  const fromApp: ProviderConfig[] = [];
  for (const row of rows) {
    try {
      fromApp.push(configOf(row, env));
    } catch (error) {
      if (!(error instanceof ProviderKeyError)) throw error;
      logger.warn("provider key cannot be decrypted; provider left out", { provider: row.name, reason: error.message });
    }
  }
  return [...configuredProviders(env), ...fromApp];
}

/**
 * One provider by id, key decrypted; null when there is none. A provider whose key cannot be read
 * is a clear 4xx naming the fix, not a crash.
 */
export async function findProvider(db: Db, env: Env, id: string): Promise<ProviderConfig | null> {
  const fromEnv = configuredProviders(env).find((p) => p.id === id);
  if (fromEnv) return fromEnv;
  if (id.length > 40) return null;
  const row = await db.modelProvider.findUnique({ where: { id } });
  if (!row) return null;
  try {
    return configOf(row, env);
  } catch (error) {
    if (!(error instanceof ProviderKeyError)) throw error;
    throw InvalidError.field("provider", `The API key of ${row.name} cannot be read: ${error.message}`);
  }
}

/** What the page may know of every available provider (names and models, never keys). */
export async function availableProviderInfos(db: Db, env: Env): Promise<ProviderInfo[]> {
  return providerInfos(await availableProviders(db, env));
}

function requireSecret(env: Env) {
  if (env.PROVIDER_KEY_SECRET.length === 0) {
    throw InvalidError.field(
      "apiKey",
      "Set PROVIDER_KEY_SECRET (32 characters or more) on the server to store provider keys in the app.",
    );
  }
}

function clashesWithEnv(env: Env, name: string) {
  if (configuredProviders(env).some((p) => p.name.toLowerCase() === name.toLowerCase())) {
    throw InvalidError.field("name", "A provider from the environment already has this name.");
  }
}

async function assertNameFree(db: Db, name: string, exceptId?: string) {
  const same = await db.modelProvider.findFirst({ where: { name, ...(exceptId ? { NOT: { id: exceptId } } : {}) } });
  if (same) throw InvalidError.field("name", "Another provider has this name.");
}

export async function createProvider(
  db: Db,
  env: Env,
  raw: unknown,
  actor: Actor | null = null,
): Promise<{ id: string }> {
  const input = parseInput(providerFormSchema, raw, { message: "The provider has problems." });
  requireSecret(env);
  if (!input.apiKey) throw InvalidError.field("apiKey", "An API key is required.");
  clashesWithEnv(env, input.name);
  if ((await db.modelProvider.count()) >= MAX_PROVIDERS) {
    throw InvalidError.field("name", `At most ${MAX_PROVIDERS} providers can be configured.`);
  }
  await assertNameFree(db, input.name);
  const id = randomUUID();
  await db.$transaction(async (tx) => {
    await tx.modelProvider.create({
      data: {
        id,
        name: input.name,
        protocol: input.protocol,
        baseUrl: input.baseUrl,
        keyCiphertext: sealKey(input.apiKey!, id, env.PROVIDER_KEY_SECRET),
        allowedModels: input.models ? JSON.stringify(input.models) : null,
      },
    });
    // Never the key: its name, protocol and address only.
    await recordAudit(tx, actor, {
      action: "provider.create",
      target: { type: "provider", id, name: input.name },
      details: { protocol: input.protocol, baseUrl: input.baseUrl },
    });
  });
  return { id };
}

/** Changes a provider; a blank key keeps the stored one. */
export async function updateProvider(
  db: Db,
  env: Env,
  id: string,
  raw: unknown,
  actor: Actor | null = null,
): Promise<void> {
  const input = parseInput(providerFormSchema, raw, { message: "The provider has problems." });
  const row = await db.modelProvider.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("provider", id, "No such provider.", "id");
  clashesWithEnv(env, input.name);
  await assertNameFree(db, input.name, id);
  if (input.apiKey) requireSecret(env);
  await db.$transaction(async (tx) => {
    await tx.modelProvider.update({
      where: { id },
      data: {
        name: input.name,
        protocol: input.protocol,
        baseUrl: input.baseUrl,
        allowedModels: input.models ? JSON.stringify(input.models) : null,
        ...(input.apiKey ? { keyCiphertext: sealKey(input.apiKey, id, env.PROVIDER_KEY_SECRET) } : {}),
      },
    });
    await recordAudit(tx, actor, {
      action: "provider.update",
      target: { type: "provider", id, name: input.name },
      details: { protocol: input.protocol, baseUrl: input.baseUrl, keyReplaced: Boolean(input.apiKey) },
    });
  });
  forgetModelList(row);
}

export async function deleteProvider(db: Db, id: string, actor: Actor | null = null): Promise<void> {
  const row = await db.modelProvider.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("provider", id, "No such provider.", "id");
  await db.$transaction(async (tx) => {
    await tx.modelProvider.delete({ where: { id } });
    await recordAudit(tx, actor, { action: "provider.delete", target: { type: "provider", id, name: row.name } });
  });
  forgetModelList(row);
}

/**
 * Rotation: re-encrypts every key with the first secret of PROVIDER_KEY_SECRET. Keys no configured
 * secret opens are counted and left as they are (enter them again).
 */
export async function resealProviderKeys(
  db: Db,
  env: Env,
  actor: Actor | null = null,
): Promise<{ resealed: number; unreadable: number }> {
  requireSecret(env);
  const rows = await db.modelProvider.findMany({ take: MAX_PROVIDERS });
  const current = secretId(env.PROVIDER_KEY_SECRET[0]!);
  let resealed = 0;
  let unreadable = 0;
  await db.$transaction(async (tx) => {
    for (const row of rows) {
      if (sealedWith(row.keyCiphertext) === current) continue;
      let plain: string;
      try {
        plain = openKey(row.keyCiphertext, row.id, env.PROVIDER_KEY_SECRET);
      } catch (error) {
        if (!(error instanceof ProviderKeyError)) throw error;
        unreadable += 1;
        continue;
      }
      await tx.modelProvider.update({
        where: { id: row.id },
        data: { keyCiphertext: sealKey(plain, row.id, env.PROVIDER_KEY_SECRET) },
      });
      resealed += 1;
    }
    await recordAudit(tx, actor, {
      action: "provider.reseal",
      target: { type: "setting", id: "PROVIDER_KEY_SECRET", name: "provider keys" },
      details: { resealed, unreadable },
    });
  });
  return { resealed, unreadable };
}
