import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExposition, samplesOf } from "../support/prometheus-text";
import { DATABASE_KINDS } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";

describe("the production server (remix-serve build/index.js on SQLite)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers liveness without touching the database", async () => {
    const res = await fetch(`${server.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("reports readiness with the database state and version", async () => {
    const res = await fetch(`${server.baseUrl}/api/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "healthy", database: "connected", version: "0.1.0" });
    expect(Date.parse(body.timestamp)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("serves the shell and the library from the database", async () => {
    const res = await fetch(`${server.baseUrl}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Prompt Builder");
    expect(html).toContain('aria-label="Main"');
    // The seeded starters are listed: the page really reads the database.
    expect(html).toMatch(/href="\/prompts\/[a-z0-9-]+\/edit"/);
  });

  it("keeps the chosen theme in a Secure, SameSite=Lax cookie and renders the page in it", async () => {
    const res = await fetch(`${server.baseUrl}/resources/theme`, {
      method: "POST",
      body: new URLSearchParams({ theme: "dark", redirectTo: "/trash" }),
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/trash");
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^pb_theme=[^;]+; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const page = await fetch(`${server.baseUrl}/`, { headers: { Cookie: setCookie.split(";")[0]! } });
    expect(await page.text()).toMatch(/<html[^>]* data-theme="dark"/);
    const refused = await fetch(`${server.baseUrl}/resources/theme`, {
      method: "POST",
      body: new URLSearchParams({ theme: "neon" }),
      redirect: "manual",
    });
    expect(refused.status).toBe(400);
  });

  it("sends the security headers on documents, with a per-request CSP nonce", async () => {
    const [a, b] = await Promise.all([fetch(`${server.baseUrl}/`), fetch(`${server.baseUrl}/`)]);
    for (const res of [a, b]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("permissions-policy")).toContain("camera=()");
      expect(res.headers.get("x-powered-by")).toBeNull();
    }
    const nonceOf = async (res: Response) => {
      const csp = res.headers.get("content-security-policy")!;
      // Exactly one policy: a second, stricter one would be enforced too.
      expect(csp.split(",").length).toBe(1);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      const html = await res.text();
      expect(html).toContain(`nonce="${nonce}"`);
      expect(html.match(/<script(?![^>]*nonce=)[^>]*>/g) ?? []).toEqual([]);
      return nonce;
    };
    expect(await nonceOf(a)).not.toBe(await nonceOf(b));
  });

  it("sends the security headers on resource routes, static files and 404s too", async () => {
    for (const path of ["/api/health", "/favicon.svg", "/no/such/page"]) {
      const res = await fetch(`${server.baseUrl}${path}`);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), path).toBe("SAMEORIGIN");
      expect(res.headers.get("content-security-policy"), path).toBeTruthy();
      expect(res.headers.get("x-powered-by"), path).toBeNull();
    }
    expect((await fetch(`${server.baseUrl}/no/such/page`)).status).toBe(404);
  });

  it("serves fingerprinted build assets as immutable for a year", async () => {
    const html = await (await fetch(`${server.baseUrl}/`)).text();
    const asset = /(\/build\/[^"]+\.js)/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const res = await fetch(`${server.baseUrl}${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("exposes route-labelled RED metrics on the metrics port only", async () => {
    const html = await (await fetch(`${server.baseUrl}/`)).text();
    const asset = /(\/build\/[^"]+\.js)/.exec(html)![1];
    await fetch(`${server.baseUrl}${asset}`);
    await fetch(`${server.baseUrl}/_root.data`);
    await fetch(`${server.baseUrl}/api/health`);
    await fetch(`${server.baseUrl}/nothing-here-${Date.now()}`);

    expect((await fetch(`${server.baseUrl}/metrics`)).status).toBe(404);
    const res = await fetch(server.metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const exp = parseExposition(await res.text());

    expect(exp.types.get("http_requests_total")).toBe("counter");
    expect(exp.types.get("http_request_duration_seconds")).toBe("histogram");
    expect(exp.types.get("app_info")).toBe("gauge");
    expect(samplesOf(exp, "app_info", { version: "0.1.0" })[0]?.value).toBe(1);
    expect(samplesOf(exp, "process_cpu_seconds_total").length).toBe(1);
    expect(samplesOf(exp, "nodejs_heap_size_used_bytes").length).toBe(1);

    const count = (route: string, status = "200") =>
      samplesOf(exp, "http_requests_total", { method: "GET", route, status_code: status }).reduce(
        (n, s) => n + s.value,
        0,
      );
    expect(count("routes/_index")).toBeGreaterThanOrEqual(2); // the document and its .data request
    expect(count("routes/api.health")).toBeGreaterThanOrEqual(1);
    expect(count("static")).toBeGreaterThanOrEqual(1);
    expect(count("unmatched", "404")).toBeGreaterThanOrEqual(1);

    const buckets = samplesOf(exp, "http_request_duration_seconds_bucket", {
      route: "routes/api.health",
      status_code: "200",
    });
    expect(buckets.find((b) => b.labels.le === "+Inf")!.value).toBe(count("routes/api.health"));
    // Never a raw URL as a label value.
    const routes = new Set(samplesOf(exp, "http_requests_total").map((s) => s.labels.route));
    for (const route of routes) expect(route).toMatch(/^(root|routes\/[\w.$-]+|static|unmatched)$/);
  });

  it("passes promtool's lint for the app's own metric families", async () => {
    await fetch(`${server.baseUrl}/api/health`);
    const text = await (await fetch(server.metricsUrl)).text();
    // prom-client's default nodejs_* gauges break promtool's naming lint by design; lint ours.
    const ours = text
      .split("\n# HELP ")
      .map((block, i) => (i === 0 ? block : `# HELP ${block}`))
      .filter((block) => /^# HELP (http_|app_)/.test(block))
      .join("\n");
    expect(ours).toContain("http_request_duration_seconds_bucket");
    const result = spawnSync("promtool", ["check", "metrics"], {
      input: ours.endsWith("\n") ? ours : ours + "\n",
      encoding: "utf8",
    });
    if (result.error)
      throw new Error(`promtool is needed for this test (apt-get install -y prometheus): ${result.error.message}`);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

const postgres = DATABASE_KINDS.find((d) => d.kind === "postgres")!;

describe.skipIf(postgres.skip)(`the same build on ${postgres.label}`, () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ database: "postgres" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is ready, seeded and serves the library from PostgreSQL", async () => {
    const health = await fetch(`${server.baseUrl}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "healthy", database: "connected" });
    expect(server.databaseUrl).toMatch(/^postgresql:\/\//);
    const html = await (await fetch(`${server.baseUrl}/`)).text();
    expect(html).toMatch(/href="\/prompts\/[a-z0-9-]+\/edit"/);
  });
});
