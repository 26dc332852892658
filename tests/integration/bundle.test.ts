/**
 * Bundles (decision 121) through the real server, on SQLite and PostgreSQL: a rich library exported
 * and imported into an empty instance gives the same rows (compared below, ignoring only row ids and
 * which account an author is linked to — compared as text), and exporting again gives the same bytes.
 * Clash policies, and hostile imports answered 4xx with nothing written (database digest).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/server/db.server";
import { moveLabel, setLabelProtection } from "~/models/labels.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { createSnippet, saveSnippet } from "~/models/snippets.server";
import { saveDefaultTestValues } from "~/models/test-values.server";
import { setFavorite, trashPrompts } from "~/models/organize.server";
import type { PromptDraft } from "~/prompt/draft";
import { bundleSchema, type Bundle } from "~/transfer/bundle";
import { exportBundle } from "~/models/bundle-export.server";
import { DATABASE_KINDS } from "../support/databases";
import { databaseDigester, type Digester } from "../support/db-digest";
import { startServer, type RunningServer } from "../support/server";

const draft = (template: string, extra: Partial<PromptDraft> = {}): PromptDraft => ({
  sections: [
    { id: "sys", kind: "system", title: "Role", template: "You are {{tone}}.", enabled: true, examples: [] },
    {
      id: "ex",
      kind: "examples",
      title: "Examples",
      template: "",
      enabled: true,
      examples: [{ input: "a", output: "b" }],
    },
    { id: "task", kind: "task", title: "Task", template, enabled: true, examples: [] },
  ],
  variables: [
    { name: "tone", type: "enum", required: true, enumValues: ["kind", "terse"], default: "kind", description: "Tone" },
    { name: "question", type: "text", required: true, enumValues: [], description: "" },
    {
      name: "items",
      type: "list",
      itemType: "object",
      fields: [{ name: "sku", type: "string", required: true, description: "" }],
      required: false,
      enumValues: [],
      description: "",
    },
  ],
  modelSettings: { model: "gpt-4o-mini", temperature: 0.3, maxTokens: 400, stop: ["END"] },
  ...extra,
});

/** Seeds a library with every kind of row a bundle carries. */
async function seed(db: Db) {
  const ada = await db.user.create({ data: { email: "ada@example.com", name: "Ada", role: "admin" } });
  const actor = { id: ada.id, role: "admin" as const };
  await createSnippet(db, { name: "inner", template: "(inner v1)" }, actor);
  await createSnippet(db, { name: "sig", template: "Regards {{> inner}}", description: "Signature" }, actor);
  const reply = await createPrompt(db, {
    meta: { name: "Refund reply", description: "Answers refunds", folder: "support/email", tags: ["refunds", "email"] },
    draft: draft("Answer {{question}} {{> sig}}"),
    message: "first",
    authorId: ada.id,
    testValues: { tone: "kind", question: "why" },
  });
  await saveSnippet(db, {
    name: "inner",
    baseVersion: 1,
    input: { name: "inner", template: "(inner v2)", message: "two" },
  });
  await saveVersion(db, {
    promptId: reply.prompt.id,
    baseVersion: 1,
    draft: draft("Answer {{question}} briefly {{> sig}}"),
    message: "second",
    authorId: ada.id,
  });
  await saveVersion(db, {
    promptId: reply.prompt.id,
    baseVersion: 2,
    draft: draft("Answer {{question}} very briefly {{> sig}}", {
      modelSettings: { model: "claude-3-5-haiku", stop: [] },
    }),
    message: "third",
  });
  await moveLabel(db, { promptId: reply.prompt.id, name: "production", version: 1, actor, authEnabled: false });
  await moveLabel(db, { promptId: reply.prompt.id, name: "production", version: 2, actor, authEnabled: false });
  await moveLabel(db, { promptId: reply.prompt.id, name: "staging", version: 3, actor: null, authEnabled: false });
  await setLabelProtection(db, {
    promptId: reply.prompt.id,
    name: "production",
    protected: true,
    actor,
    authEnabled: false,
  });
  await saveDefaultTestValues(db, reply.prompt.slug, { tone: "terse", question: "when" });
  await setFavorite(db, reply.prompt.id, true);
  const plain = await createPrompt(db, {
    meta: { name: "Plain", description: "", folder: "", tags: [] },
    draft: {
      sections: [{ kind: "task", title: "", template: "Hello", enabled: true, examples: [] }],
      variables: [],
      modelSettings: { model: "gpt-4o", stop: [] },
    },
  });
  const gone = await createPrompt(db, {
    meta: { name: "Gone", description: "old", folder: "archive", tags: ["old"] },
    draft: {
      sections: [{ kind: "task", title: "", template: "Old {{> inner}}", enabled: true, examples: [] }],
      variables: [],
      modelSettings: { model: "gpt-4o", stop: [] },
    },
  });
  await trashPrompts(db, [gone.prompt.id]);
  await db.folder.create({ data: { path: "empty", name: "empty" } });
  return { reply, plain };
}

const byStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortBy = <T>(rows: T[], key: (r: T) => string) => [...rows].sort((a, b) => byStr(key(a), key(b)));

/**
 * Every row that matters, without ids: rows refer to each other by slug, name and number; an author
 * or actor is its account's e-mail, or the text an import kept (importedAuthor) — the same person.
 */
async function libraryRows(db: Db) {
  const users = new Map((await db.user.findMany()).map((u) => [u.id, u.email]));
  const person = (id: string | null, text: string | null) => (id ? users.get(id)! : text);
  const prompts = await db.prompt.findMany({ include: { folder: true, owner: true } });
  const slugOf = new Map(prompts.map((p) => [p.id, p.slug]));
  const versions = await db.promptVersion.findMany();
  const versionOf = new Map(versions.map((v) => [v.id, `${slugOf.get(v.promptId)}@${v.number}`]));
  const snippets = await db.snippet.findMany();
  const snippetName = new Map(snippets.map((s) => [s.id, s.name]));
  const snippetVersions = await db.snippetVersion.findMany();
  const snippetVersionOf = new Map(snippetVersions.map((v) => [v.id, `${snippetName.get(v.snippetId)}@${v.number}`]));
  const labels = await db.label.findMany();
  const labelOf = new Map(labels.map((l) => [l.id, `${slugOf.get(l.promptId)}:${l.name}`]));
  const folders = await db.folder.findMany();
  const folderPath = new Map(folders.map((f) => [f.id, f.path]));
  const tags = await db.tag.findMany();
  const tagName = new Map(tags.map((t) => [t.id, t.name]));
  return {
    prompts: sortBy(
      prompts.map(({ id: _i, folderId, ownerId, importedOwner, folder: _f, owner: _o, ...p }) => ({
        ...p,
        folder: folderId ? folderPath.get(folderId) : null,
        owner: person(ownerId, importedOwner),
      })),
      (p) => p.slug,
    ),
    versions: sortBy(
      versions.map(({ id, promptId: _p, authorId, importedAuthor, ...v }) => ({
        ...v,
        version: versionOf.get(id),
        author: person(authorId, importedAuthor),
      })),
      (v) => v.version!,
    ),
    sections: sortBy(
      (await db.section.findMany()).map(({ id: _i, versionId, ...s }) => ({ ...s, version: versionOf.get(versionId) })),
      (s) => `${s.version}#${s.position}`,
    ),
    variables: sortBy(
      (await db.variable.findMany()).map(({ id: _i, versionId, ...v }) => ({
        ...v,
        version: versionOf.get(versionId),
      })),
      (v) => `${v.version}#${v.position}`,
    ),
    pins: sortBy(
      (await db.versionSnippetPin.findMany()).map(({ versionId, snippetId, snippetVersionId, ...p }) => ({
        ...p,
        version: versionOf.get(versionId),
        snippet: snippetId ? snippetName.get(snippetId) : null,
        snippetVersion: snippetVersionId ? snippetVersionOf.get(snippetVersionId) : null,
      })),
      (p) => `${p.version}#${p.name}`,
    ),
    labels: sortBy(
      labels.map(({ id, promptId: _p, versionId, ...l }) => ({
        ...l,
        label: labelOf.get(id),
        version: versionOf.get(versionId),
      })),
      (l) => l.label!,
    ),
    events: sortBy(
      (await db.labelEvent.findMany()).map(
        ({ id: _i, labelId, fromVersionId, toVersionId, actorId, importedActor, ...e }) => ({
          ...e,
          label: labelOf.get(labelId),
          from: fromVersionId ? versionOf.get(fromVersionId) : null,
          to: versionOf.get(toVersionId),
          actor: person(actorId, importedActor),
        }),
      ),
      (e) => `${e.label}#${e.createdAt.toISOString()}#${e.toNumber}`,
    ),
    snippets: sortBy(
      snippets.map(({ id: _i, ...s }) => s),
      (s) => s.name,
    ),
    snippetVersions: sortBy(
      snippetVersions.map(({ id, snippetId: _s, authorId, importedAuthor, ...v }) => ({
        ...v,
        version: snippetVersionOf.get(id),
        author: person(authorId, importedAuthor),
      })),
      (v) => v.version!,
    ),
    folders: sortBy(
      folders.map(({ id: _i, parentId, ...f }) => ({ ...f, parent: parentId ? folderPath.get(parentId) : null })),
      (f) => f.path,
    ),
    tags: sortBy(
      tags.map(({ id: _i, ...t }) => t),
      (t) => t.name,
    ),
    promptTags: (await db.promptTag.findMany()).map((t) => `${slugOf.get(t.promptId)}:${tagName.get(t.tagId)}`).sort(),
    snippetUses: (await db.promptSnippetUse.findMany()).map((u) => `${slugOf.get(u.promptId)}:${u.snippetName}`).sort(),
  };
}

describe.each(DATABASE_KINDS)("bundles — $label", ({ kind, skip }) => {
  let source: RunningServer;
  let target: RunningServer;
  let sourceDb: Db;
  let targetDb: Db;
  let digest: Digester;
  let exported = "";

  beforeAll(async () => {
    if (skip) return;
    [source, target] = await Promise.all([
      startServer({ database: kind, seed: false }),
      startServer({ database: kind, seed: false, env: { IMPORT_MAX_BYTES: String(512 * 1024) } }),
    ]);
    sourceDb = createDb(source.databaseUrl).db;
    targetDb = createDb(target.databaseUrl).db;
    await seed(sourceDb);
    digest = await databaseDigester(target.databaseUrl);
  }, 180_000);
  afterAll(async () => {
    await digest?.close();
    await sourceDb?.$disconnect();
    await targetDb?.$disconnect();
    await source?.stop();
    await target?.stop();
  });

  const post = (server: RunningServer, path: string, body: string | object, type = "application/json") =>
    fetch(server.baseUrl + path, {
      method: "POST",
      headers: { "content-type": type },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it.skipIf(skip)("exports the whole library (trash included) as a bundle that fits its schema", async () => {
    const res = await fetch(`${source.baseUrl}/api/v1/export?trash=include`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("library.bundle.json");
    exported = await res.text();
    const bundle = bundleSchema.parse(JSON.parse(exported)) as Bundle;
    expect(bundle.prompts.map((p) => p.slug)).toEqual(["gone", "plain", "refund-reply"]);
    const reply = bundle.prompts[2]!;
    expect(reply.versions.map((v) => [v.number, v.message, v.author])).toEqual([
      [1, "first", "ada@example.com"],
      [2, "second", "ada@example.com"],
      [3, "third", null],
    ]);
    expect(reply.versions[0]!.pins.map((p) => [p.name, p.snippet, p.snippetVersion])).toEqual([
      ["inner", "inner", 1],
      ["sig", "sig", 1],
    ]);
    expect(reply.versions[1]!.pins.map((p) => [p.name, p.snippetVersion])).toEqual([
      ["inner", 2],
      ["sig", 1],
    ]);
    expect(reply.labels.find((l) => l.name === "production")!.events.map((e) => [e.from, e.to, e.actor])).toEqual([
      [null, 1, "ada@example.com"],
      [1, 2, "ada@example.com"],
    ]);
    expect(reply.testValues.default).toEqual({ tone: "terse", question: "when" });
    expect(bundle.folders.map((f) => f.path)).toEqual(["archive", "empty", "support", "support/email"]);
    // The default leaves the trash out.
    const live = JSON.parse(await (await fetch(`${source.baseUrl}/api/v1/export`)).text()) as Bundle;
    expect(live.prompts.map((p) => p.slug)).toEqual(["plain", "refund-reply"]);
  });

  it.skipIf(skip)("refuses an export past its version limit before reading any version", async () => {
    await expect(
      exportBundle(sourceDb, { slugs: [], includeTrash: true }, { scope: null, maxVersions: 4 }),
    ).rejects.toThrow(/would hold 5 prompt versions; the limit is 4/);
  });

  it.skipIf(skip)("exports a selection with the snippets it pins, and a folder", async () => {
    const one = JSON.parse(await (await fetch(`${source.baseUrl}/api/v1/export?prompt=refund-reply`)).text()) as Bundle;
    expect(one.prompts.map((p) => p.slug)).toEqual(["refund-reply"]);
    expect(one.snippets.map((s) => [s.name, s.versions.length])).toEqual([
      ["inner", 2],
      ["sig", 1],
    ]);
    expect(one.folders.map((f) => f.path)).toEqual(["support", "support/email"]);
    expect(one.tags.map((t) => t.name)).toEqual(["email", "refunds"]);
    const folder = JSON.parse(await (await fetch(`${source.baseUrl}/api/v1/export?folder=support`)).text()) as Bundle;
    expect(folder.prompts.map((p) => p.slug)).toEqual(["refund-reply"]);
    expect((await fetch(`${source.baseUrl}/api/v1/export?prompt=nope`)).status).toBe(404);
    expect((await fetch(`${source.baseUrl}/api/v1/export?promt=x`)).status).toBe(400);
  });

  it.skipIf(skip)("refuses hostile imports with a clear 4xx and writes nothing", async () => {
    const before = await digest.digest();
    const valid = JSON.parse(exported) as Bundle;
    const cycle = structuredClone(valid);
    cycle.snippets.find((s) => s.name === "inner")!.versions.at(-1)!.template = "{{> sig}}";
    const dangling = structuredClone(valid);
    dangling.snippets = dangling.snippets.filter((s) => s.name !== "sig");
    // 60,000 nested arrays in 120 KB: walking it recursively would overflow the stack.
    const deep = `{"formatVersion":1,"folders":${"[".repeat(60_000)}0${"]".repeat(60_000)}}`;
    const shallowButDeep = `{"formatVersion":1,"folders":${"[".repeat(40)}0${"]".repeat(40)}}`;
    const cases: Array<[string, string | object, number, string]> = [
      ["malformed JSON", "{ not json", 400, ""],
      ["unknown formatVersion", { ...valid, formatVersion: 99 }, 422, "formatVersion"],
      ["no formatVersion", [], 422, ""],
      ["snippet cycle", cycle, 422, "snippets"],
      ["dangling pin", dangling, 422, "pins"],
      ["deep nesting", deep, 400, ""],
      ["nesting past the bundle's depth", shallowButDeep, 400, ""],
      ["oversize", { ...valid, padding: "x".repeat(600 * 1024) }, 413, ""],
    ];
    for (const [what, body, status, pathHead] of cases) {
      const res = await post(target, "/api/v1/import", body);
      expect(res.status, what).toBe(status);
      expect(res.headers.get("content-type"), what).toContain("application/problem+json");
      const problem = (await res.json()) as { issues: Array<{ path: unknown[]; message: string }> };
      expect(problem.issues.length, what).toBeGreaterThan(0);
      if (pathHead) expect(problem.issues.map((i) => i.path.join(".")).join(" "), what).toContain(pathHead);
    }
    expect(await digest.digest()).toBe(before);
  });

  it.skipIf(skip)("imports into an empty instance: the same rows, and the same bytes exported again", async () => {
    const dry = await post(target, "/api/v1/import?dryRun=true", exported);
    expect(dry.status).toBe(200);
    const before = await digest.digest();
    expect(await dry.json()).toMatchObject({ dryRun: true, created: { prompts: ["gone", "plain", "refund-reply"] } });
    expect(await digest.digest()).toBe(before);

    const res = await post(target, "/api/v1/import", exported);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      dryRun: false,
      created: { prompts: ["gone", "plain", "refund-reply"], snippets: ["inner", "sig"] },
      skipped: [],
    });
    // Ada has no account on the target: as owner, author and actor her e-mail is kept as text
    // (importedOwner/importedAuthor/importedActor), the same person (docs/bundle-format.md, "People").
    expect(await libraryRows(targetDb)).toEqual(await libraryRows(sourceDb));
    const again = await (await fetch(`${target.baseUrl}/api/v1/export?trash=include`)).text();
    expect(again).toBe(exported);
    // The same renders by label and by version.
    for (const selector of [{ label: "production" }, { label: "staging" }, { version: 1 }]) {
      const body = { ...selector, target: "openai", variables: { question: "q" } };
      const [a, b] = await Promise.all(
        [source, target].map(async (s) => (await post(s, "/api/v1/prompts/refund-reply/render", body)).json()),
      );
      expect(b).toEqual(a);
    }
  });

  it.skipIf(skip)(
    "follows the clash policy: skip writes nothing, new-version adds one, rename creates copies",
    async () => {
      const before = await digest.digest();
      const skipped = await post(target, "/api/v1/import?policy=skip", exported);
      expect(skipped.status).toBe(200);
      expect(((await skipped.json()) as { skipped: unknown[] }).skipped).toHaveLength(5);
      expect(await digest.digest()).toBe(before);

      const changed = JSON.parse(exported) as Bundle;
      const reply = changed.prompts.find((p) => p.slug === "refund-reply")!;
      reply.versions.at(-1)!.sections[2]!.template = "Changed {{question}} {{> sig}}";
      const nv = await post(target, "/api/v1/import?policy=new-version", changed);
      expect(nv.status).toBe(200);
      expect(((await nv.json()) as { newVersions: unknown[] }).newVersions).toEqual([
        { kind: "prompt", name: "refund-reply", version: 4 },
      ]);
      const head = (await (await fetch(`${target.baseUrl}/api/v1/prompts/refund-reply`)).json()) as {
        headVersion: number;
        labels: Record<string, number>;
      };
      expect(head.headVersion).toBe(4);
      expect(head.labels).toEqual({ production: 2, staging: 3 });

      const renamed = await post(target, "/api/v1/import?policy=rename", { ...changed, snippets: [] });
      expect(renamed.status).toBe(200);
      const report = (await renamed.json()) as { renamed: Array<{ from: string; to: string; name: string }> };
      expect(report.renamed).toContainEqual({ from: "plain", to: "plain-2", name: "Plain (imported)" });
      // A snippet that differs cannot be renamed: a problem, nothing written.
      const mid = await digest.digest();
      const snippetClash = structuredClone(changed);
      snippetClash.snippets[0]!.versions[0]!.template = "different";
      const refused = await post(target, "/api/v1/import?policy=rename", snippetClash);
      expect(refused.status).toBe(422);
      expect(await digest.digest()).toBe(mid);
    },
  );

  it.skipIf(skip)("imports Langfuse prompts: versions, labels, chat roles; hostile ones write nothing", async () => {
    const chat = (version: number, labels: string[]) => ({
      id: `lf-${version}`,
      name: "support/refund-chat",
      version,
      type: "chat",
      prompt: [
        { role: "system", content: "You are {{tone}} support. {{> secret}}" },
        { role: "user", content: "Customer: {{message}}" },
      ],
      config: { model: "gpt-4o-mini", temperature: version === 1 ? 0.2 : 0.3, max_tokens: 200, tools: [] },
      labels,
      tags: ["Support"],
      commitMessage: `lf v${version}`,
    });
    const before = await digest.digest();
    const hostile = await post(target, "/api/v1/import/langfuse", [chat(1, ["Not A Label!"])]);
    expect(hostile.status).toBe(422);
    expect(await digest.digest()).toBe(before);

    const res = await post(target, "/api/v1/import/langfuse", [
      chat(1, ["staging"]),
      chat(2, ["production", "latest"]),
    ]);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { created: { prompts: string[] } }).created.prompts).toEqual(["support-refund-chat"]);
    const p = (await (await fetch(`${target.baseUrl}/api/v1/prompts/support-refund-chat`)).json()) as {
      folder: string;
      labels: Record<string, number>;
      version: { number: number; message: string; modelSettings: { temperature: number } };
    };
    expect(p).toMatchObject({ folder: "support", labels: { production: 2, staging: 1 } });
    expect(p.version).toMatchObject({
      number: 2,
      message: "lf v2 [config not kept: tools]",
      modelSettings: { temperature: 0.3 },
    });
    const rendered = (await (
      await post(target, "/api/v1/prompts/support-refund-chat/render", {
        label: "staging",
        target: "openai",
        variables: { tone: "kind", message: "refund?" },
      })
    ).json()) as { json: { messages: Array<{ role: string; content: string }> } };
    expect(rendered.json.messages).toEqual([
      { role: "system", content: "You are kind support. {{> secret}}" },
      { role: "user", content: "Customer: refund?" },
    ]);
  });

  it.skipIf(skip)("serves the bundle's JSON Schema", async () => {
    const res = await fetch(`${source.baseUrl}/api/v1/schemas/bundle.json`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { properties: { formatVersion: unknown } }).properties.formatVersion).toEqual(
      expect.objectContaining({ const: 1 }),
    );
  });

  it.skipIf(skip)("exports one version as Markdown", async () => {
    const res = await fetch(`${source.baseUrl}/api/v1/prompts/refund-reply/export.md?label=production`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/markdown");
    const md = await res.text();
    expect(md).toContain("# Refund reply");
    expect(md).toContain("- **Version:** 2 (`production`)");
    expect(md).toContain("## 3. Task");
    expect(md).toContain("Answer {{question}} briefly {{> sig}}");
    expect((await fetch(`${source.baseUrl}/api/v1/prompts/refund-reply/export.md?version=99`)).status).toBe(404);
  });
});

describe("ENABLE_EXPORT=false", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ database: "sqlite", env: { ENABLE_EXPORT: "false" } });
  }, 60_000);
  afterAll(async () => server?.stop());

  it("hides the export buttons", async () => {
    const library = await (await fetch(`${server.baseUrl}/`)).text();
    expect(library).toContain(">Import<");
    expect(library).not.toContain("Export library");
    const slug = (
      (await (await fetch(`${server.baseUrl}/api/v1/prompts?limit=1`)).json()) as { items: Array<{ slug: string }> }
    ).items[0]!.slug;
    const page = await (await fetch(`${server.baseUrl}/prompts/${slug}`)).text();
    expect(page).toContain("Use this prompt");
    expect(page).not.toContain("Download bundle");
  });

  it("answers 404 on the export endpoints, and still imports", async () => {
    expect((await fetch(`${server.baseUrl}/api/v1/export`)).status).toBe(404);
    const slug = (
      (await (await fetch(`${server.baseUrl}/api/v1/prompts?limit=1`)).json()) as { items: Array<{ slug: string }> }
    ).items[0]!.slug;
    expect((await fetch(`${server.baseUrl}/api/v1/prompts/${slug}/export.md`)).status).toBe(404);
    const res = await fetch(`${server.baseUrl}/api/v1/import?dryRun=true`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ formatVersion: 1, folders: [], tags: [], snippets: [], prompts: [] }),
    });
    expect(res.status).toBe(200);
  });
});
