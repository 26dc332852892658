/**
 * The public URLs of the bundled Web Workers, from build/workers.json (written by
 * scripts/build-workers.mjs next to the server build). Read once per process in production; null
 * when the file or the entry is missing, and the builder then renders through the server.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { logger } from "~/server/logger.server";

type WorkerManifest = Partial<Record<string, string>>;

let cached: WorkerManifest | undefined;

function candidates(): string[] {
  const out: string[] = [];
  try {
    // The server build is build/index.js: the manifest sits beside it.
    out.push(fileURLToPath(new URL("./workers.json", import.meta.url)));
  } catch {
    /* not a file: URL */
  }
  out.push(path.resolve("build", "workers.json"));
  return out;
}

function readManifest(): WorkerManifest {
  for (const file of candidates()) {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
      if (parsed && typeof parsed === "object") return parsed as WorkerManifest;
    } catch {
      /* try the next */
    }
  }
  logger.warn("build/workers.json is missing: the builder renders on the server (run scripts/build-workers.mjs)");
  return {};
}

export function workerUrl(name: "render"): string | null {
  const manifest = process.env.NODE_ENV === "production" ? (cached ??= readManifest()) : readManifest();
  const url = manifest[name];
  return typeof url === "string" && /^\/build\/workers\/[A-Za-z0-9_-]+\.js$/.test(url) ? url : null;
}
