/**
 * The files the runtime stage copies exist after a build and are enough to run the image's
 * commands: copied to a temporary folder (nothing else of the tree), run there as the unprivileged
 * user 1001 (when the tests run as root; else as the current non-root user) with the image's ENV:
 * migrations, the server (health, metrics), a backup and a restore, and the HEALTHCHECK command.
 * Also measures the payload against the 170 MB goal (150 MB before error reporting and the model and MCP SDKs; decision 013).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts, stopProcess, waitFor } from "../support/server";
import { execForm, parseDockerfile } from "./dockerfile";
import { buildRuntimePayload, duBytes, isRoot, type RuntimePayload } from "./runtime-payload";

let payload: RuntimePayload;
let server: ChildProcess | undefined;
let output = "";
let port = 0;
let metricsPort = 0;

const runtime = parseDockerfile().stages.find((s) => s.name === "runtime")!;
const CMD = execForm(runtime.instructions.find((i) => i.keyword === "CMD")!.args);
const healthArgs = runtime.instructions.find((i) => i.keyword === "HEALTHCHECK")!.args;
const HEALTHCHECK = execForm(healthArgs.slice(healthArgs.indexOf("CMD ") + 4));

function env(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...payload.env,
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    LOG_LEVEL: "warn",
  } as unknown as NodeJS.ProcessEnv;
}

/** Runs one of the image's commands: `node` is this machine's Node (the image's is Node 24). */
function runInImage(command: string[], timeout = 60_000) {
  const [bin, ...args] = command;
  return spawnSync(bin === "node" ? process.execPath : bin!, args, {
    cwd: payload.app,
    env: env(),
    encoding: "utf8",
    timeout,
    ...payload.user,
  });
}

beforeAll(async () => {
  payload = buildRuntimePayload();
  [port, metricsPort] = (await freePorts(2)) as [number, number];
}, 120_000);

afterAll(async () => {
  if (server) await stopProcess(server);
  payload?.cleanup();
});

describe("runtime stage payload", () => {
  it("contains the built server, the CLI commands and the static files", () => {
    for (const file of [
      "build/index.js",
      "build/render-pool/worker.js",
      "build/cli/migrate.js",
      "build/cli/backup.js",
      "build/cli/restore.js",
      "public/build",
      "prisma/schema.prisma",
      "prisma/postgres/schema.prisma",
      "prisma.config.ts",
    ]) {
      expect(fs.existsSync(path.join(payload.app, file)), file).toBe(true);
    }
    expect(fs.existsSync(path.join(payload.app, "app", "routes"))).toBe(false);
    expect(fs.existsSync(path.join(payload.app, "node_modules", "vitest"))).toBe(false);
    expect(fs.existsSync(path.join(payload.app, "node_modules", "@remix-run", "dev"))).toBe(false);
  });

  it("is under 170 MB", () => {
    const bytes = duBytes(payload.app);
    const nodeModules = duBytes(path.join(payload.app, "node_modules"));
    console.info(`runtime payload: ${(bytes / 1e6).toFixed(1)} MB (node_modules ${(nodeModules / 1e6).toFixed(1)} MB)`);
    expect(bytes).toBeLessThan(170e6);
  });

  it.runIf(isRoot())("is read-only to the app user", () => {
    const probe = runInImage(["node", "-e", "require('fs').writeFileSync('build/x', 'x')"]);
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain("EACCES");
  });

  it("runs the migrations as the init container does", () => {
    const result = runInImage(["node", "build/cli/migrate.js"], 120_000);
    expect(result.status, result.stderr + result.stdout).toBe(0);
    expect(fs.existsSync(path.join(payload.data, "app.db"))).toBe(true);
  }, 130_000);

  it("starts the server with the image's CMD and answers health and metrics", async () => {
    const [bin, ...args] = CMD;
    server = spawn(bin === "node" ? process.execPath : bin!, args, {
      cwd: payload.app,
      // A DSN nobody listens on: error reporting must load from the pruned payload.
      env: { ...env(), SENTRY_DSN: "http://key@127.0.0.1:9/1", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
      ...payload.user,
    });
    server.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    server.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200,
      30_000,
      `the server (${output})`,
    );
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^backup_last_success_timestamp_seconds 0$/m);
    expect(metrics).toMatch(/^app_info\{/m);
    await expect.poll(() => output).toContain("error reporting on (Sentry)");
    // The MCP SDK loads from the pruned payload (its web-standard transport answers an initialize).
    const mcp = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }),
    });
    expect(mcp.status, output).toBe(200);
    expect(await mcp.json()).toMatchObject({ result: { serverInfo: { name: "prompt-builder" } } });
  }, 60_000);

  it("renders user templates in the render pool's worker thread from the payload alone", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/resources/render`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jobs: [{ template: "Hi {{name}}", input: { name: "pool" } }] }),
    });
    expect(res.status, output).toBe(200);
    expect(await res.json()).toEqual({ outcomes: [{ text: "Hi pool" }] });
  }, 30_000);

  it("passes the image's HEALTHCHECK command", () => {
    const result = runInImage(HEALTHCHECK, 10_000);
    expect(result.status, result.stderr).toBe(0);
  });

  it(
    "backs up and restores with the image's commands, and the metric sees the backup",
    { timeout: 60_000 },
    async () => {
      const backup = runInImage(["node", "build/cli/backup.js"]);
      expect(backup.status, backup.stderr + backup.stdout).toBe(0);
      const files = fs.readdirSync(payload.backups);
      expect(files.some((f) => /^prompt-builder-\d{8}T\d{9}Z\.sqlite\.gz$/.test(f))).toBe(true);
      // The backup recorded its run in the database; the metric reads it there (cached a few seconds).
      let value = 0;
      await waitFor(
        async () => {
          const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
          value = Number(/^backup_last_success_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
          return value > 0;
        },
        20_000,
        "the backup metric to see the run",
      );
      expect(Math.abs(value - Date.now() / 1000)).toBeLessThan(120);
      const restored = path.join(payload.tmp, "restored", "app.db");
      const restore = runInImage(["node", "build/cli/restore.js", "latest", "--target", restored]);
      expect(restore.status, restore.stderr + restore.stdout).toBe(0);
      expect(fs.existsSync(restored)).toBe(true);
    },
  );

  it("stops on SIGTERM (exec-form CMD: node receives it)", async () => {
    const child = server!;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    process.kill(child.pid!, "SIGTERM");
    const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 10_000))]);
    expect(code, output).not.toBe("timeout");
    server = undefined;
  }, 15_000);
});
