/**
 * Starts the production build as `remix-serve build/index.js` (what the image runs) on free ports,
 * with its own database, and stops it by its PID.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import net from "node:net";
import path from "node:path";
import { createTestDatabaseUrl, type DatabaseKind } from "./databases";
import { ROOT } from "./paths";

export type RunningServer = {
  baseUrl: string;
  metricsUrl: string;
  port: number;
  metricsPort: number;
  databaseUrl: string;
  pid: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/**
 * `count` distinct free ports. Each listener stays open until all are picked: two calls of
 * freePort() one after the other may get the same port back, which the app then refuses
 * ("METRICS_PORT: must differ from PORT").
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const srv = net.createServer();
      srv.unref();
      servers.push(srv);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          srv.on("error", reject);
          srv.listen(0, "127.0.0.1", () => resolve((srv.address() as net.AddressInfo).port));
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((srv) => new Promise((resolve) => srv.close(resolve))));
  }
}

export const REMIX_SERVE = path.join(ROOT, "node_modules", "@remix-run", "serve", "dist", "cli.js");

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}

/** Stops a child by its PID: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, "SIGKILL");
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

export async function startServer(
  options: {
    database?: DatabaseKind;
    databaseUrl?: string;
    seed?: boolean;
    env?: Record<string, string>;
    /** Fixed ports (a suite's own range) instead of free ones the system picks. */
    ports?: { port: number; metricsPort: number };
    /** Flags for the server's node (V8 flags such as --gc-interval are refused in NODE_OPTIONS). */
    nodeArgs?: string[];
  } = {},
): Promise<RunningServer> {
  let databaseUrl = options.databaseUrl;
  let cleanup = async () => {};
  if (!databaseUrl) {
    const created = await createTestDatabaseUrl(options.database ?? "sqlite");
    databaseUrl = created.url;
    cleanup = created.cleanup;
  }
  const [port, metricsPort] = options.ports
    ? [options.ports.port, options.ports.metricsPort]
    : ((await freePorts(2)) as [number, number]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    HOST: "127.0.0.1",
    // Every test client shares one address: the per-client rate limits are off unless a test sets
    // them (tests/integration/http-bounds.test.ts does), so suites that write a lot are not cut.
    RATE_LIMIT_RENDER_PER_MINUTE: "0",
    RATE_LIMIT_WRITES_PER_MINUTE: "0",
    RATE_LIMIT_SAVES_PER_MINUTE: "0",
    RATE_LIMIT_LOGINS_PER_MINUTE: "0",
    ...options.env,
  };
  if (options.seed !== false) {
    // Asynchronous: a synchronous child would block this process's event loop, and with it any
    // test double (such as a TCP proxy) standing between the command and the database.
    await promisify(execFile)(process.execPath, [path.join(ROOT, "build", "cli", "seed.js")], { cwd: ROOT, env });
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), REMIX_SERVE, "build/index.js"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output}`);
        return (await fetch(`${baseUrl}/healthz`)).ok;
      },
      30_000,
      "the server to answer /healthz",
    );
  } catch (error) {
    await stopProcess(child);
    await cleanup();
    throw error;
  }
  return {
    baseUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    port,
    metricsPort,
    databaseUrl,
    pid: child.pid!,
    child,
    output: () => output,
    stop: async () => {
      await stopProcess(child);
      await cleanup();
    },
  };
}
