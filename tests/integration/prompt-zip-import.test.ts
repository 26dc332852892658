/**
 * POST /api/v1/import/zip (decision 129) against the production build on both databases: a library
 * exported as a `.prompt` zip and imported into an empty instance exports again to the same files
 * (the same bytes where the manifest's version numbers and labels allow); the clash policies; the
 * bundle import's audit event; and hostile zips — each a 4xx problem naming the entry, with the
 * database digest unchanged.
 */
import { randomBytes } from "node:crypto";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { DATABASE_KINDS } from "../support/databases";
import { databaseDigester, type Digester } from "../support/db-digest";
import { startServer, type RunningServer } from "../support/server";
import { makeZip, patchEntry } from "../support/zip-craft";

const who = { name: "name", type: "string", required: true, enumValues: [], default: "you", description: "" };
const task = (template: string) => ({ kind: "task", title: "Task", template });
const system = (template: string) => ({ kind: "system", title: "Role", template });

type Report = {
  dryRun: boolean;
  created: { prompts: string[]; snippets: string[]; folders: string[]; tags: string[] };
  newVersions: Array<{ kind: string; name: string; version: number }>;
  renamed: Array<{ from: string; to: string; name: string }>;
  skipped: Array<{ kind: string; name: string; reason: string }>;
};
type Problem = { status: number; error: string; issues: Array<{ path: Array<string | number>; message: string }> };

const texts = (zip: Uint8Array) =>
  Object.fromEntries(Object.entries(unzipSync(zip)).map(([path, data]) => [path, strFromU8(data)]));

describe.each(DATABASE_KINDS)("importing a .prompt zip — $label", ({ kind, skip }) => {
  let source: RunningServer;
  let target: RunningServer;
  let targetDb: Db;
  let digest: Digester;
  let exported: Buffer;

  const post = (server: RunningServer, path: string, body: unknown) =>
    fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  const importZip = (zip: Uint8Array, query = "", type = "application/zip") =>
    fetch(`${target.baseUrl}/api/v1/import/zip${query}`, {
      method: "POST",
      headers: { "Content-Type": type },
      body: new Uint8Array(zip),
    });
  const exportZip = async (server: RunningServer, folder = "") =>
    Buffer.from(
      await (await fetch(`${server.baseUrl}/api/v1/export.zip${folder ? `?folder=${folder}` : ""}`)).arrayBuffer(),
    );

  beforeAll(async () => {
    if (skip) return;
    [source, target] = await Promise.all([
      startServer({ database: kind, seed: false }),
      startServer({ database: kind, seed: false }),
    ]);
    targetDb = createDb(target.databaseUrl).db;
    digest = await databaseDigester(target.databaseUrl);
    expect((await post(source, "/api/v1/snippets", { name: "inner", template: "the team" })).status).toBe(201);
    expect((await post(source, "/api/v1/snippets", { name: "sign", template: "— {{> inner}}" })).status).toBe(201);
    const create = async (body: object) => expect((await post(source, "/api/v1/prompts", body)).status).toBe(201);
    await create({
      name: "Refund reply",
      description: "Answers refunds",
      folder: "support/email",
      tags: ["refunds"],
      sections: [system("You are {{tone}}."), task("Answer {{question}} {{> sign}}")],
      variables: [
        { name: "tone", type: "enum", required: true, enumValues: ["kind", "terse"], default: "kind", description: "" },
        { name: "question", type: "string", required: true, enumValues: [], description: "The question" },
      ],
      modelSettings: { model: "gpt-4o-mini", temperature: 0.2, stop: [] },
    });
    await create({ name: "Welcome", folder: "support", sections: [task("Welcome {{name}}!")], variables: [who] });
    await create({ name: "Pitch", folder: "sales", tags: ["outbound"], sections: [task("Pitch {{product}}")] });
    expect(
      (
        await post(source, "/api/v1/prompts/welcome/versions", {
          baseVersion: 1,
          sections: [task("Welcome back, {{name}}!")],
          variables: [who],
        })
      ).status,
    ).toBe(201);
    expect((await post(source, "/api/v1/prompts/welcome/labels/production", { version: 2 })).status).toBe(200);
    exported = await exportZip(source);
  }, 180_000);
  afterAll(async () => {
    await digest?.close();
    await targetDb?.$disconnect();
    await source?.stop();
    await target?.stop();
  });

  it.skipIf(skip)("refuses hostile zips with a 4xx problem naming the entry, and writes nothing", async () => {
    const before = await digest.digest();
    const prompt = "---\nmodel: openai/gpt-4o\n---\nHello\n";
    const zeros = new Uint8Array(1024 * 1024);
    const bomb = makeZip({ "bomb.prompt": zeros }, 9);
    // 17 entries of 2 MiB - 24 KiB zeros after 24 KiB of noise: each compresses about 80:1, all
    // together they would inflate past the 32 MiB total.
    const heavy = new Uint8Array(2 * 1024 * 1024);
    heavy.set(randomBytes(24 * 1024));
    const oversize = makeZip(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`h${i}.prompt`, heavy])), 9);
    const many = makeZip(Object.fromEntries(Array.from({ length: 5001 }, (_, i) => [`p${i}.prompt`, ""])), 0);
    const cases: Array<[string, Uint8Array, number, string, RegExp?]> = [
      ["malformed zip bytes", randomBytes(2048), 400, "", /not a zip/],
      ["zip bomb (ratio)", bomb, 422, "bomb.prompt", /compresses \d+:1/],
      ["a 1 GB declared entry", patchEntry(bomb, "bomb.prompt", { size: 1_000_000_000 }), 422, "bomb.prompt"],
      ["a header that lies about its size", patchEntry(bomb, "bomb.prompt", { size: 1000 }), 400, "bomb.prompt"],
      ["too many entries", many, 422, "", /at most 5000 entries/],
      ["oversize total", oversize, 422, "", /in all; at most 33554432/],
      ["../ traversal", makeZip({ "../x.prompt": prompt }), 422, "../x.prompt"],
      ["absolute path", makeZip({ "/abs.prompt": prompt }), 422, "/abs.prompt"],
      ["backslashes", makeZip({ "a\\..\\b.prompt": prompt }), 422, "a\\..\\b.prompt"],
      [
        "duplicate names",
        patchEntry(makeZip({ "a.prompt": prompt, "b.prompt": prompt }), "b.prompt", { rename: "a.prompt" }),
        422,
        "a.prompt",
      ],
      ["names differing in case", makeZip({ "A.prompt": prompt, "a.prompt": prompt }), 422, "a.prompt"],
      ["another kind of file", makeZip({ "a.prompt": prompt, "notes.txt": "x" }), 422, "notes.txt"],
      ["an encrypted entry", patchEntry(makeZip({ "a.prompt": prompt }), "a.prompt", { flags: 1 }), 422, "a.prompt"],
      ["a snippet cycle", makeZip({ "_a.prompt": "{{> b}}", "_b.prompt": "{{> a}}" }), 422, "_a.prompt"],
      ["bad YAML front matter", makeZip({ "x/bad.prompt": "---\nmodel: [unclosed\n---\nhi\n" }), 422, "x/bad.prompt"],
      [
        "unknown manifest formatVersion",
        makeZip({ "a.prompt": prompt, "prompt-builder.json": '{"formatVersion":2}' }),
        422,
        "prompt-builder.json.formatVersion",
      ],
      ["an empty zip", makeZip({}), 422, "", /no .prompt files/],
    ];
    for (const [what, zip, status, path, message] of cases) {
      const started = performance.now();
      const res = await importZip(zip);
      const elapsed = performance.now() - started;
      expect(res.status, what).toBe(status);
      expect(res.headers.get("content-type"), what).toContain("application/problem+json");
      const problem = (await res.json()) as Problem;
      expect(problem.issues.length, what).toBeGreaterThan(0);
      if (path)
        expect(
          problem.issues.map((i) => i.path.join(".")),
          what,
        ).toContain(path);
      if (message) expect(problem.issues.map((i) => i.message).join(" "), what).toMatch(message);
      if (what.includes("1 GB")) expect(elapsed, what).toBeLessThan(2000);
    }
    const type = await importZip(exported, "", "application/json");
    expect(type.status).toBe(415);
    // Over 1 MiB (the limit of bodies of other types) but within IMPORT_MAX_BYTES: read, and refused as no zip.
    expect((await importZip(randomBytes(1024 * 1024 + 1))).status).toBe(400);
    const big = await importZip(randomBytes(2 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
    expect((await fetch(`${target.baseUrl}/api/v1/import/zip`)).status).toBe(405);
    expect((await importZip(exported, "?policy=merge")).status).toBe(400);
    expect(await digest.digest()).toBe(before);
  });

  it.skipIf(skip)("imports into an empty instance; exporting again gives the same files", async () => {
    const before = await digest.digest();
    const dry = await importZip(exported, "?dryRun=true");
    expect(dry.status).toBe(200);
    expect(((await dry.json()) as Report).created.prompts).toEqual(["pitch", "refund-reply", "welcome"]);
    expect(await digest.digest()).toBe(before);

    const res = await importZip(exported);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      dryRun: false,
      created: {
        prompts: ["pitch", "refund-reply", "welcome"],
        snippets: ["inner", "sign"],
        folders: ["sales", "support", "support/email"],
        tags: ["outbound", "refunds"],
      },
      skipped: [],
      // The manifest's labels are listed, not moved.
      labelsNotMoved: [{ prompt: "welcome", label: "production", version: 2 }],
    });
    expect(await targetDb.label.count()).toBe(0);
    expect(await targetDb.auditEvent.count({ where: { action: "library.import" } })).toBe(1);

    const again = await exportZip(target);
    const [a, b] = [texts(exported), texts(again)];
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const path of Object.keys(a)) if (path !== "prompt-builder.json") expect(b[path], path).toBe(a[path]);
    // The manifest too, but for what the import does not take: version numbers and labels.
    const manifest = (text: string) => {
      const m = JSON.parse(text) as { prompts: Record<string, { version?: number; labels?: object }> };
      for (const p of Object.values(m.prompts)) {
        delete p.version;
        delete p.labels;
      }
      return m;
    };
    expect(manifest(b["prompt-builder.json"]!)).toEqual(manifest(a["prompt-builder.json"]!));
    expect(JSON.parse(b["prompt-builder.json"]!).prompts["support/welcome.prompt"]).toMatchObject({
      version: 1,
      labels: {},
    });
    // A folder whose prompts are at version 1 without labels: the very same bytes.
    expect((await exportZip(target, "sales")).equals(await exportZip(source, "sales"))).toBe(true);
    // The same renders.
    const body = { version: 1, target: "openai", variables: { question: "why?" } };
    const [x, y] = await Promise.all(
      [source, target].map(async (s) => (await post(s, "/api/v1/prompts/refund-reply/render", body)).json()),
    );
    expect(y).toEqual(x);
  });

  it.skipIf(skip)("follows the clash policy: skip writes nothing, new-version adds one, rename copies", async () => {
    const before = await digest.digest();
    const skipped = await importZip(exported, "?policy=skip");
    expect(skipped.status).toBe(200);
    expect(((await skipped.json()) as Report).skipped.map((s) => s.name).sort()).toEqual([
      "inner",
      "pitch",
      "refund-reply",
      "sign",
      "welcome",
    ]);
    expect(await digest.digest()).toBe(before);

    const files = texts(exported);
    files["sales/pitch.prompt"] = files["sales/pitch.prompt"]!.replace("Pitch {{product}}", "Pitch {{product}} today");
    const changed = makeZip(files);
    const nv = await importZip(changed, "?policy=new-version");
    expect(nv.status).toBe(200);
    expect(((await nv.json()) as Report).newVersions).toEqual([{ kind: "prompt", name: "pitch", version: 2 }]);
    expect(await targetDb.auditEvent.count({ where: { action: "library.import" } })).toBe(2);

    const renamed = await importZip(changed, "?policy=rename");
    expect(renamed.status).toBe(200);
    const report = (await renamed.json()) as Report;
    expect(report.renamed).toContainEqual({ from: "pitch", to: "pitch-2", name: "Pitch (imported)" });
    expect(report.skipped.map((s) => s.name).sort()).toEqual(["inner", "sign"]);
    // A partial that differs from the snippet here cannot be renamed: every problem, nothing written.
    const mid = await digest.digest();
    const refused = await importZip(makeZip({ ...files, "_sign.prompt": "— someone else" }), "?policy=rename");
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as Problem).issues.map((i) => i.path.join("."))).toEqual(["_sign.prompt.name"]);
    expect(await digest.digest()).toBe(mid);
  });

  it.skipIf(skip)("the import page previews a zip, then imports it; a hostile zip is refused there too", async () => {
    const page = (fields: Record<string, string | Blob>, fileName?: string) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) {
        if (typeof v === "string") form.set(k, v);
        else form.set(k, v, fileName);
      }
      return fetch(`${target.baseUrl}/import`, { method: "POST", body: form });
    };
    const zip = makeZip({ "drafts/page-made.prompt": "---\nmodel: openai/gpt-4o\n---\nFrom the page\n" });
    const before = await digest.digest();
    const preview = await (
      await page(
        { intent: "preview", policy: "skip", format: "auto", file: new Blob([new Uint8Array(zip)]) },
        "drafts.zip",
      )
    ).text();
    expect(preview).toMatch(/Preview(<!-- -->)? of drafts.zip/);
    expect(preview).toContain("page-made");
    expect(await digest.digest()).toBe(before);
    const carried = /name="zip" value="([^"]+)"/.exec(preview)![1]!;
    const done = await (
      await page({ intent: "import", policy: "skip", format: "zip", zip: carried, fileName: "drafts.zip" })
    ).text();
    expect(done).toContain("Done");
    const created = (await (await fetch(`${target.baseUrl}/api/v1/prompts/page-made`)).json()) as { folder: string };
    expect(created.folder).toBe("drafts");

    // A zip whose manifest records labels: the preview lists them as not moved.
    const labelled = await (
      await page(
        { intent: "preview", policy: "skip", format: "auto", file: new Blob([new Uint8Array(exported)]) },
        "library.zip",
      )
    ).text();
    expect(labelled).toContain("Labels not moved");
    expect(labelled).toMatch(
      /welcome(<!-- -->)?: (<!-- -->)?production(<!-- -->)? was on version(<!-- -->)? (<!-- -->)?2/,
    );

    const mid = await digest.digest();
    const hostile = await (
      await page(
        {
          intent: "preview",
          policy: "skip",
          format: "auto",
          file: new Blob([new Uint8Array(makeZip({ "../up.prompt": "x" }))]),
        },
        "evil.zip",
      )
    ).text();
    expect(hostile).toContain("Not imported");
    expect(hostile).toContain("../up.prompt");
    expect(await digest.digest()).toBe(mid);
  });
});
