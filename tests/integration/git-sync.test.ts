/**
 * The git-sync client (`prompt-builder pull|status|push`, docs/git-sync.md) as a user runs it: the
 * built command as a child process in a temporary directory, against the production build with
 * accounts on, on SQLite and PostgreSQL. Pull, edit, push (a new version, the lock follows); the
 * prompt changes on the instance; edit and push again → refused with a diff, exit 1, nothing written
 * on the instance; pull refuses to overwrite the edit; --label moves a label only when asked, a
 * protected one only by a change request; a token without write and no token at all get a clear
 * sentence and exit 3, never a stack trace.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "~/models/api-tokens.server";
import { setLabelProtection } from "~/models/labels.server";
import { createDb, type Db } from "~/server/db.server";
import { LOCK_FILE, parseLock, sha256 } from "~/sync/lock";
import { DATABASE_KINDS } from "../support/databases";
import { ROOT } from "../support/paths";
import { startServer, type RunningServer } from "../support/server";

const CLI = path.join(ROOT, "build", "cli", "prompt-builder.js");
/** This suite's ports (4750–4799): one server per database. */
const PORTS = { sqlite: { port: 4760, metricsPort: 4761 }, postgres: { port: 4762, metricsPort: 4763 } };
const PROXY_PORTS = { sqlite: 4764, postgres: 4765 };

type Seen = { method: string; url: string; key: string | null; replayed: string | null };
/**
 * An HTTP proxy in front of the instance that can act between the client and it: `before` runs
 * before a request is forwarded, and `drop` cuts the connection after the instance has answered
 * (the client never sees the answer, as when a network fails at the wrong moment).
 */
function startProxy(port: number, target: () => string) {
  const seen: Seen[] = [];
  const hooks: {
    before?: (req: http.IncomingMessage) => Promise<void>;
    drop?: (req: http.IncomingMessage) => boolean;
  } = {};
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    await hooks.before?.(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !["host", "content-length", "connection"].includes(k)),
    ) as Record<string, string>;
    const answer = await fetch(`${target()}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await answer.arrayBuffer());
    seen.push({
      method: req.method!,
      url: req.url!,
      key: (req.headers["idempotency-key"] as string | undefined) ?? null,
      replayed: answer.headers.get("idempotent-replayed"),
    });
    if (hooks.drop?.(req)) {
      req.socket.destroy();
      return;
    }
    // fetch has already decoded the body: its length and encoding headers no longer apply.
    const back = [...answer.headers].filter(
      ([k]) => !["content-encoding", "content-length", "transfer-encoding"].includes(k),
    );
    res.writeHead(answer.status, Object.fromEntries(back));
    res.end(body);
  });
  const listening = new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    hooks,
    listening,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Run = { code: number; stdout: string; stderr: string };

describe.each(DATABASE_KINDS)("git sync against a running instance — $label", ({ kind, skip }) => {
  let server: RunningServer;
  let db: Db;
  let dir: string;
  const t = { write: "", read: "" };

  const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [CLI, ...args],
        {
          cwd: dir,
          env: {
            PATH: process.env.PATH,
            NODE_ENV: "production",
            PROMPT_BUILDER_URL: server.baseUrl,
            PROMPT_BUILDER_TOKEN: t.write,
            ...env,
          },
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 99) : 0, stdout, stderr }),
      );
    });
  const api = async (method: string, url: string, body?: unknown, token = t.write) => {
    const res = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const file = (rel: string) => path.join(dir, rel);
  const read = (rel: string) => fs.readFileSync(file(rel), "utf8");
  const edit = (rel: string, from: string, to: string) => {
    const text = read(rel);
    expect(text).toContain(from);
    fs.writeFileSync(file(rel), text.replace(from, to));
  };
  const lock = () => parseLock(read(LOCK_FILE));
  const versions = async (slug: string) => db.promptVersion.count({ where: { prompt: { slug } } });
  const labels = async (slug: string) =>
    Object.fromEntries(
      (await db.label.findMany({ where: { prompt: { slug } }, include: { version: true } })).map((l) => [
        l.name,
        l.version.number,
      ]),
    );

  beforeAll(async () => {
    if (skip) return;
    server = await startServer({
      database: kind,
      seed: false,
      ports: PORTS[kind],
      env: { ENABLE_AUTH: "true", SESSION_SECRET: "g".repeat(40) },
    });
    db = createDb(server.databaseUrl).db;
    const editor = await db.user.create({ data: { email: "editor@example.test", name: "Ed", role: "editor" } });
    const ctx = { id: null, role: "admin" as const, address: "127.0.0.1" };
    const token = async (scopes: string[]) =>
      (await createApiToken(db, editor as { id: string; role: "admin" }, { name: "sync", scopes, labels: "" }, ctx))
        .token;
    t.write = await token(["read", "write"]);
    t.read = await token(["read"]);
    const task = (template: string) => ({ kind: "task", title: "Task", template });
    for (const [name, folder, template] of [
      ["Support reply", "support", "Answer the customer kindly."],
      ["Refund note", "support/email", "Explain the refund policy in two sentences."],
      ["Elsewhere", "other", "Not in the pulled folder."],
    ] as const) {
      const created = await api("POST", "/api/v1/prompts", { name, folder, sections: [task(template)] });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
    }
    const prompt = await db.prompt.findUniqueOrThrow({ where: { slug: "refund-note" } });
    expect((await api("PUT", "/api/v1/prompts/refund-note/labels/production", { version: 1 })).status).toBe(200);
    await setLabelProtection(db, {
      promptId: prompt.id,
      name: "production",
      protected: true,
      actor: { id: null, role: "admin" },
      authEnabled: true,
    });
    expect((await api("POST", "/api/v1/snippets", { name: "sign", template: "— The support team" })).status).toBe(201);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pb-git-sync-"));
  }, 180_000);

  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)("pull writes the folder's files and the lock; status is then in sync", async () => {
    const pulled = await cli(["pull", "--folder", "support"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(fs.existsSync(file("support-reply.prompt"))).toBe(true);
    expect(fs.existsSync(file("email/refund-note.prompt"))).toBe(true);
    expect(fs.existsSync(file("_sign.prompt"))).toBe(true);
    expect(fs.existsSync(file("elsewhere.prompt"))).toBe(false);
    expect(read("support-reply.prompt")).toContain("Answer the customer kindly.");
    const l = lock();
    expect(l.folder).toBe("support");
    expect(l.files["support-reply.prompt"]).toEqual({
      kind: "prompt",
      slug: "support-reply",
      version: 1,
      sha256: sha256(fs.readFileSync(file("support-reply.prompt"))),
    });
    expect(l.files["_sign.prompt"]).toMatchObject({ kind: "snippet", name: "sign", version: 1 });
    const status = await cli(["status"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/In sync: 4 files unchanged/);
  });

  it.skipIf(skip)("push sends an edit as a new version on top of the lock's, and moves no label", async () => {
    edit("support-reply.prompt", "kindly.", "kindly and briefly.");
    const status = await cli(["status"]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/modified locally\s+support-reply\.prompt \(v1\)/);
    const dry = await cli(["push", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(await versions("support-reply")).toBe(1);

    const pushed = await cli(["push", "--message", "from git"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain('pushed support-reply.prompt → prompt "support-reply" v2');
    expect(await versions("support-reply")).toBe(2);
    const v2 = await api("GET", "/api/v1/prompts/support-reply");
    expect(JSON.stringify(v2.json.version)).toContain("kindly and briefly.");
    expect((v2.json.version as { message: string }).message).toBe("from git");
    expect(await labels("support-reply")).toEqual({});
    expect(lock().files["support-reply.prompt"]).toMatchObject({ version: 2 });
    expect((await cli(["status"])).code).toBe(0);
  });

  it.skipIf(skip)(
    "an edit on the instance then a local edit: push refuses with a diff and writes nothing",
    async () => {
      // The instance moves on (as the builder's Save does: a version on top of the head).
      const head = await api("GET", "/api/v1/prompts/support-reply");
      const v = head.json.version as {
        sections: Array<{ template: string }>;
        variables: unknown;
        modelSettings: unknown;
      };
      const saved = await api("POST", "/api/v1/prompts/support-reply/versions", {
        baseVersion: 2,
        sections: v.sections.map((s) => ({ ...s, template: `${s.template}\nSign with your first name.` })),
        variables: v.variables,
        modelSettings: v.modelSettings,
      });
      expect(saved.status, JSON.stringify(saved.json)).toBe(201);
      const before = read("support-reply.prompt");
      edit("support-reply.prompt", "briefly.", "very briefly.");
      const edited = read("support-reply.prompt");

      const status = await cli(["status"]);
      expect(status.code).toBe(1);
      expect(status.stdout).toMatch(/conflict \(both changed\)\s+support-reply\.prompt \(v2 → v3 on the instance\)/);

      const pushed = await cli(["push", "--label", "staging"]);
      expect(pushed.code).toBe(1);
      expect(pushed.stderr).toMatch(/refused support-reply\.prompt: the instance has version 3, newer than version 2/);
      expect(pushed.stderr).toContain("--- instance/support-reply.prompt\tversion 3 on the instance");
      expect(pushed.stderr).toContain("+++ local/support-reply.prompt\tyour file");
      expect(pushed.stderr).toMatch(/^-Sign with your first name\.$/m);
      expect(pushed.stderr).toMatch(/^\+Answer the customer kindly and very briefly\.$/m);
      expect(await versions("support-reply")).toBe(3);
      expect(await labels("support-reply")).toEqual({});
      expect(lock().files["support-reply.prompt"]).toMatchObject({ version: 2 });
      expect(read("support-reply.prompt")).toBe(edited);

      // Pull will not overwrite the edit either, and says which file.
      const pulled = await cli(["pull"]);
      expect(pulled.code).toBe(1);
      expect(pulled.stderr).toMatch(/support-reply\.prompt: edited locally and changed on the instance/);
      expect(read("support-reply.prompt")).toBe(edited);
      expect(before).not.toBe(edited);
    },
  );

  it.skipIf(skip)("after merging (pull --force, edit again), push --label staging moves staging only", async () => {
    const forced = await cli(["pull", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(read("support-reply.prompt")).toContain("Sign with your first name.");
    expect(lock().files["support-reply.prompt"]).toMatchObject({ version: 3 });
    edit("support-reply.prompt", "kindly and briefly.", "kindly and very briefly.");
    const pushed = await cli(["push", "--label", "staging"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain("label staging → v4");
    expect(await versions("support-reply")).toBe(4);
    expect(await labels("support-reply")).toEqual({ staging: 4 });
    expect(await labels("refund-note")).toEqual({ production: 1 });
  });

  it.skipIf(skip)("a protected label is not moved: a change request waits, and the output says so", async () => {
    edit("email/refund-note.prompt", "two sentences.", "three sentences.");
    const pushed = await cli(["push", "--label", "production"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(/label production is protected: NOT moved; a change request to move it to v2/);
    expect(await labels("refund-note")).toEqual({ production: 1 });
    expect(await db.labelChangeRequest.count({ where: { labelName: "production", toNumber: 2 } })).toBe(1);
  });

  it.skipIf(skip)("new files become prompts in their folder; a snippet edit a snippet version", async () => {
    fs.mkdirSync(file("chat"), { recursive: true });
    fs.writeFileSync(file("chat/greeting.prompt"), '---\nmodel: openai/gpt-4o\n---\n{{role "user"}}\nSay hello.\n');
    fs.writeFileSync(file("Not A Slug.prompt"), "Hello");
    edit("_sign.prompt", "support team", "support crew");
    const pushed = await cli(["push"]);
    expect(pushed.code).toBe(1); // the file that is not a slug is refused
    expect(pushed.stderr).toMatch(/refused Not A Slug\.prompt: "Not A Slug" is not a slug/);
    const created = await db.prompt.findUniqueOrThrow({ where: { slug: "greeting" }, include: { folder: true } });
    expect(created.folder?.path).toBe("support/chat");
    expect(created.name).toBe("Greeting");
    const snippet = await api("GET", "/api/v1/snippets/sign");
    expect(snippet.json.headVersion).toBe(2);
    expect((snippet.json.version as { template: string }).template).toBe("— The support crew");
    expect(lock().files["chat/greeting.prompt"]).toMatchObject({ kind: "prompt", slug: "greeting", version: 1 });
    fs.rmSync(file("Not A Slug.prompt"));
    expect((await cli(["status"])).code).toBe(0);
  });

  it.skipIf(skip)("a retry after a lost answer sends the same Idempotency-Key: one version, not two", async () => {
    const proxy = startProxy(PROXY_PORTS[kind], () => server.baseUrl);
    await proxy.listening;
    try {
      let dropped = false;
      proxy.hooks.drop = (req) => {
        if (dropped || req.method !== "POST") return false;
        dropped = true;
        return true;
      };
      edit("email/refund-note.prompt", "three sentences.", "four sentences.");
      const count = await versions("refund-note");
      const pushed = await cli(["push"], { PROMPT_BUILDER_URL: proxy.url });
      expect(pushed.code, pushed.stderr).toBe(0);
      const posts = proxy.seen.filter((r) => r.method === "POST");
      expect(posts).toHaveLength(2);
      expect(posts[0]!.key).toBeTruthy();
      expect(posts[1]!.key).toBe(posts[0]!.key);
      expect(posts[1]!.replayed).toBe("true");
      expect(await versions("refund-note")).toBe(count + 1);
      expect(lock().files["email/refund-note.prompt"]).toMatchObject({ version: count + 1 });
    } finally {
      await proxy.close();
    }
  });

  it.skipIf(skip)("someone saves between the check and the push: the 409 is reported with the diff", async () => {
    const proxy = startProxy(PROXY_PORTS[kind], () => server.baseUrl);
    await proxy.listening;
    try {
      let raced = false;
      proxy.hooks.before = async (req) => {
        if (raced || req.method !== "POST") return;
        raced = true;
        const head = await api("GET", "/api/v1/prompts/refund-note");
        const v = head.json.version as {
          sections: Array<{ template: string }>;
          variables: unknown;
          modelSettings: unknown;
        };
        const saved = await api("POST", "/api/v1/prompts/refund-note/versions", {
          baseVersion: head.json.headVersion,
          sections: v.sections.map((sec) => ({ ...sec, template: `${sec.template}\nMention the 30-day window.` })),
          variables: v.variables,
          modelSettings: v.modelSettings,
        });
        expect(saved.status).toBe(201);
      };
      edit("email/refund-note.prompt", "four sentences.", "five sentences.");
      const count = await versions("refund-note");
      const pushed = await cli(["push"], { PROMPT_BUILDER_URL: proxy.url });
      expect(pushed.code).toBe(1);
      expect(pushed.stderr).toMatch(/refused email\/refund-note\.prompt: .*Nothing was overwritten/);
      expect(pushed.stderr).toMatch(/^-Mention the 30-day window\.$/m);
      expect(pushed.stderr).toMatch(/^\+Explain the refund policy in five sentences\.$/m);
      expect(await versions("refund-note")).toBe(count + 1); // the other person's save only
      expect(lock().files["email/refund-note.prompt"]?.version).toBe(count);
    } finally {
      await proxy.close();
    }
    // Take the instance's file again so the next tests start in sync.
    expect((await cli(["pull", "--force"])).code).toBe(0);
  });

  it.skipIf(skip)("a prompt trashed on the instance: status says so, pull removes the unedited file", async () => {
    expect((await api("DELETE", "/api/v1/prompts/greeting")).status).toBe(200);
    const status = await cli(["status"]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/trashed on the instance\s+chat\/greeting\.prompt/);
    const pulled = await cli(["pull"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(fs.existsSync(file("chat/greeting.prompt"))).toBe(false);
    expect(lock().files["chat/greeting.prompt"]).toBeUndefined();
    expect((await cli(["status"])).code).toBe(0);
  });

  it.skipIf(skip)("an edit of the front matter's description alone adds no version, and push says why", async () => {
    expect((await cli(["pull", "--force"])).code).toBe(0);
    const before = await versions("support-reply");
    const text = read("support-reply.prompt");
    expect(text.startsWith("---\n")).toBe(true);
    fs.writeFileSync(file("support-reply.prompt"), text.replace("---\n", "---\ndescription: Edited in git\n"));
    const pushed = await cli(["push"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(
      /unchanged support-reply\.prompt: .*the front matter's name or description differs, and those belong to the prompt, not to a version/,
    );
    expect(await versions("support-reply")).toBe(before);
    expect((await cli(["status"])).code).toBe(0);
  });

  it.skipIf(skip)("a broken lock file or another folder: exit 2 with what is wrong", async () => {
    const other = await cli(["pull", "--folder", "other"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/pulled from folder "support", not "other"/);
    const good = read(LOCK_FILE);
    fs.writeFileSync(file(LOCK_FILE), good.replace('"formatVersion": 1', '"formatVersion": 7'));
    const broken = await cli(["status"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/formatVersion/);
    fs.writeFileSync(file(LOCK_FILE), good);
  });

  it.skipIf(skip)(
    "a token without write, a wrong token and no token: a clear sentence, exit 3, nothing written",
    async () => {
      edit("support-reply.prompt", "very briefly.", "very, very briefly.");
      const count = await versions("support-reply");
      const readOnly = await cli(["push"], { PROMPT_BUILDER_TOKEN: t.read });
      expect(readOnly.code).toBe(3);
      expect(readOnly.stderr).toMatch(/Not allowed \(403\) for a new version of support-reply\.prompt/);
      expect(readOnly.stderr).toMatch(/write scope/);
      const wrong = await cli(["status"], { PROMPT_BUILDER_TOKEN: "pb_not_a_real_token_at_all_000000" });
      expect(wrong.code).toBe(3);
      expect(wrong.stderr).toMatch(/did not accept the token \(401\)/);
      const none = await cli(["status"], { PROMPT_BUILDER_TOKEN: "" });
      expect(none.code).toBe(3);
      expect(none.stderr).toMatch(/needs a token \(401\).*PROMPT_BUILDER_TOKEN/);
      for (const run of [readOnly, wrong, none]) expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(await versions("support-reply")).toBe(count);
      expect(lock().files["support-reply.prompt"]).toMatchObject({ version: 4 });
      const unreachable = await cli(["status"], { PROMPT_BUILDER_URL: "http://127.0.0.1:4799" });
      expect(unreachable.code).toBe(3);
      expect(unreachable.stderr).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:4799/);
    },
  );
});
