/**
 * Import: a parsed bundle (app/transfer/bundle.ts) into this instance, in ONE transaction. First a
 * plan (what is created, skipped, renamed or gets a new version, and every problem with its path in
 * the bundle); with any problem nothing is written (422 with the issues). The same plan is the
 * preview of the import page (`dryRun`). Decision 121.
 *
 * Created prompts and snippets keep their version numbers, messages, authors (linked to the account
 * with that e-mail when there is one, else kept as text) and timestamps; labels point at the same
 * version numbers and keep their history. Clashes (a slug or snippet name taken, or a prompt name
 * taken in its folder) follow the policy:
 * - skip: the existing one stays, the bundle's is left out;
 * - new-version: the bundle's newest version becomes a new version of the existing one (labels stay);
 * - rename: prompts are created under a free slug and name; snippets cannot be renamed (templates
 *   include them by name), so a snippet clash under rename is a problem.
 */
import type { Db } from "~/server/db.server";
import { recordAudit, type Actor } from "./audit.server";
import { dequal } from "dequal";
import { InvalidError } from "~/prompt/errors";
import type { Issue } from "~/prompt/problem";
import type { PromptDraft } from "~/prompt/draft";
import { partialNames } from "~/prompt/partials";
import { slugify, MAX_SLUG_LENGTH } from "~/prompt/slug";
import { searchDocument } from "~/library/search-text";
import { cycleThrough, includesOf, type Bundle, type BundlePrompt, type BundleVersion } from "~/transfer/bundle";
import { sectionRows, variableRows, versionInclude, versionToDraft, type Tx } from "./prompt-store.server";

export const CLASH_POLICIES = ["skip", "new-version", "rename"] as const;
export type ClashPolicy = (typeof CLASH_POLICIES)[number];

export type ImportReport = {
  policy: ClashPolicy;
  dryRun: boolean;
  created: { prompts: string[]; snippets: string[]; folders: string[]; tags: string[] };
  newVersions: Array<{ kind: "prompt" | "snippet"; name: string; version: number }>;
  renamed: Array<{ from: string; to: string; name: string }>;
  skipped: Array<{ kind: "prompt" | "snippet"; name: string; reason: string }>;
  /** A zip's manifest labels, which an import does not move (app/models/prompt-zip-import.server.ts). */
  labelsNotMoved?: Array<{ prompt: string; label: string; version: number }>;
};

export type ImportOptions = {
  policy: ClashPolicy;
  dryRun: boolean;
  /** Who imports (new versions appended under new-version are theirs; the audit log names them). */
  actor: Actor | null;
  /** false: no audit event (a database transfer copies the source's audit log instead). */
  audit?: boolean;
  /** The transaction's time limit: the CLI gives large libraries longer than a request. */
  timeoutMs?: number;
};

type PromptPlan =
  | { kind: "create"; index: number; p: BundlePrompt; slug: string; name: string }
  | { kind: "append"; index: number; p: BundlePrompt; targetId: string; targetSlug: string; number: number };

type SnippetPlan =
  { kind: "create"; index: number } | { kind: "append"; index: number; targetId: string; number: number };

const draftOf = (v: BundleVersion): PromptDraft => ({
  sections: v.sections,
  variables: v.variables,
  modelSettings: v.modelSettings,
});
const headOf = (p: BundlePrompt) => p.versions.find((v) => v.number === p.headVersion)!;
const folderKey = (folder: string, name: string) => `${folder}\u0000${name}`;

function withParents(path: string): string[] {
  if (!path) return [];
  const parts = path.split("/");
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

async function freeSlug(tx: Tx, base: string, taken: Set<string>): Promise<string> {
  const root =
    slugify(base)
      .slice(0, MAX_SLUG_LENGTH - 4)
      .replace(/-+$/, "") || "prompt";
  const here = await tx.prompt.findMany({ where: { slug: { startsWith: root } }, select: { slug: true } });
  for (const p of here) taken.add(p.slug);
  for (let i = 2; ; i++) if (!taken.has(`${root}-${i}`)) return `${root}-${i}`;
}

function freeName(name: string, folder: string, taken: Set<string>): string {
  for (let i = 1; ; i++) {
    const suffix = i === 1 ? " (imported)" : ` (imported ${i})`;
    const candidate = `${name.slice(0, 120 - suffix.length)}${suffix}`;
    if (!taken.has(folderKey(folder, candidate))) return candidate;
  }
}

/** Reads what the bundle could clash with, and decides what happens to each prompt and snippet. */
async function plan(tx: Tx, bundle: Bundle, policy: ClashPolicy) {
  const issues: Issue[] = [];
  const report: Omit<ImportReport, "dryRun"> = {
    policy,
    created: { prompts: [], snippets: [], folders: [], tags: [] },
    newVersions: [],
    renamed: [],
    skipped: [],
  };

  // Snippets, by name (trashed ones too: the name is unique).
  const existingSnippets = await tx.snippet.findMany({
    select: { id: true, name: true, headVersion: true, deletedAt: true },
  });
  const snippetByName = new Map(existingSnippets.map((s) => [s.name, s]));
  const snippetVersions = await tx.snippetVersion.findMany({
    where: { snippetId: { in: existingSnippets.map((s) => s.id) } },
    select: { id: true, snippetId: true, number: true, template: true },
  });
  const versionsOf = new Map<string, Map<number, { id: string; template: string }>>();
  for (const v of snippetVersions) {
    if (!versionsOf.has(v.snippetId)) versionsOf.set(v.snippetId, new Map());
    versionsOf.get(v.snippetId)!.set(v.number, { id: v.id, template: v.template });
  }

  const snippetPlans: SnippetPlan[] = [];
  // The include graph after the import: live heads here, replaced by what the import writes.
  const heads = new Map<string, readonly string[]>();
  for (const s of existingSnippets)
    if (!s.deletedAt) heads.set(s.name, includesOf(versionsOf.get(s.id)?.get(s.headVersion)?.template ?? ""));
  const changed: Array<{ name: string; index: number }> = [];

  bundle.snippets.forEach((s, index) => {
    const head = s.versions.find((v) => v.number === s.headVersion)!;
    const target = snippetByName.get(s.name);
    if (!target) {
      snippetPlans.push({ kind: "create", index });
      report.created.snippets.push(s.name);
      if (!s.deletedAt) {
        heads.set(s.name, includesOf(head.template));
        changed.push({ name: s.name, index });
      }
      return;
    }
    const theirs = versionsOf.get(target.id) ?? new Map();
    if (s.versions.every((v) => theirs.get(v.number)?.template === v.template)) {
      report.skipped.push({ kind: "snippet", name: s.name, reason: "already here, the same" });
      return;
    }
    if (policy === "skip") {
      report.skipped.push({ kind: "snippet", name: s.name, reason: "a snippet of this name exists (policy skip)" });
    } else if (policy === "rename") {
      issues.push({
        path: ["snippets", index, "name"],
        message: `a different snippet "${s.name}" exists here; snippets cannot be renamed on import (templates include them by name): use skip or new-version`,
      });
    } else if (target.deletedAt) {
      issues.push({
        path: ["snippets", index, "name"],
        message: `the snippet "${s.name}" is in the trash here; restore it first`,
      });
    } else if (theirs.get(target.headVersion)?.template === head.template) {
      report.skipped.push({ kind: "snippet", name: s.name, reason: "its newest version is already the newest here" });
    } else {
      const number = target.headVersion + 1;
      snippetPlans.push({ kind: "append", index, targetId: target.id, number });
      report.newVersions.push({ kind: "snippet", name: s.name, version: number });
      heads.set(s.name, includesOf(head.template));
      changed.push({ name: s.name, index });
    }
  });
  for (const { name, index } of changed) {
    const cycle = cycleThrough(heads, name);
    if (cycle)
      issues.push({
        path: ["snippets", index],
        message: `would include itself through ${cycle.map((n) => `{{> ${n}}}`).join(" → ")}`,
      });
  }

  // Pins: a snippet version the bundle holds, or one this instance has.
  const bundleHeld = new Set(
    bundle.snippets.flatMap((s, i) =>
      snippetPlans.some((p) => p.index === i && p.kind === "create")
        ? s.versions.map((v) => `${s.name}@${v.number}`)
        : [],
    ),
  );
  bundle.prompts.forEach((p, i) =>
    p.versions.forEach((v, j) =>
      v.pins.forEach((pin, k) => {
        if (pin.snippet === null || bundleHeld.has(`${pin.snippet}@${pin.snippetVersion}`)) return;
        const target = snippetByName.get(pin.snippet);
        if (target && versionsOf.get(target.id)?.has(pin.snippetVersion)) return;
        issues.push({
          path: ["prompts", i, "versions", j, "pins", k],
          message: `pins version ${pin.snippetVersion} of the snippet "${pin.snippet}", which neither the bundle nor this instance holds`,
        });
      }),
    ),
  );

  // Prompts: by slug (trashed ones too), and by name in a folder (live ones).
  const bySlug = new Map(
    (
      await tx.prompt.findMany({
        where: { slug: { in: bundle.prompts.map((p) => p.slug) } },
        select: { id: true, slug: true, headVersion: true, deletedAt: true },
      })
    ).map((p) => [p.slug, p]),
  );
  const named = await tx.prompt.findMany({
    where: { deletedAt: null, name: { in: bundle.prompts.map((p) => p.name) } },
    select: {
      id: true,
      slug: true,
      name: true,
      headVersion: true,
      deletedAt: true,
      folder: { select: { path: true } },
    },
  });
  const byName = new Map(named.map((p) => [folderKey(p.folder?.path ?? "", p.name), p]));
  const takenSlugs = new Set(bySlug.keys());
  for (const p of bundle.prompts) takenSlugs.add(p.slug);
  const takenNames = new Set(byName.keys());

  const promptPlans: PromptPlan[] = [];
  for (const [index, p] of bundle.prompts.entries()) {
    const target = bySlug.get(p.slug) ?? (p.deletedAt ? undefined : byName.get(folderKey(p.folder, p.name)));
    if (!target) {
      promptPlans.push({ kind: "create", index, p, slug: p.slug, name: p.name });
      report.created.prompts.push(p.slug);
      takenNames.add(folderKey(p.folder, p.name));
      continue;
    }
    const why = target.slug === p.slug ? `the slug "${p.slug}" is taken` : `"${p.name}" exists in this folder`;
    if (policy === "skip") {
      report.skipped.push({ kind: "prompt", name: p.slug, reason: `${why} (policy skip)` });
    } else if (policy === "new-version" && p.deletedAt) {
      report.skipped.push({ kind: "prompt", name: p.slug, reason: `${why}, and it is in the trash in the bundle` });
    } else if (policy === "rename" || target.deletedAt) {
      if (policy !== "rename") {
        issues.push({
          path: ["prompts", index, "slug"],
          message: `the prompt "${target.slug}" is in the trash here; restore it first, or import with rename`,
        });
        continue;
      }
      const slug = bySlug.has(p.slug) ? await freeSlug(tx, p.slug, takenSlugs) : p.slug;
      takenSlugs.add(slug);
      const name = takenNames.has(folderKey(p.folder, p.name)) ? freeName(p.name, p.folder, takenNames) : p.name;
      takenNames.add(folderKey(p.folder, name));
      promptPlans.push({ kind: "create", index, p, slug, name });
      report.created.prompts.push(slug);
      report.renamed.push({ from: p.slug, to: slug, name });
    } else {
      const head = await tx.promptVersion.findUnique({
        where: { promptId_number: { promptId: target.id, number: target.headVersion } },
        include: versionInclude,
      });
      if (head && dequal(versionToDraft(head), draftOf(headOf(p)))) {
        report.skipped.push({
          kind: "prompt",
          name: target.slug,
          reason: "its newest version is already the newest here",
        });
        continue;
      }
      const number = target.headVersion + 1;
      promptPlans.push({ kind: "append", index, p, targetId: target.id, targetSlug: target.slug, number });
      report.newVersions.push({ kind: "prompt", name: target.slug, version: number });
    }
  }

  // Folders and tags that do not exist yet.
  const wantedFolders = new Set([
    ...bundle.folders.map((f) => f.path),
    ...promptPlans.filter((p) => p.kind === "create").flatMap((p) => withParents(p.p.folder)),
  ]);
  for (const f of [...wantedFolders]) for (const parent of withParents(f)) wantedFolders.add(parent);
  const haveFolders = new Set(
    (await tx.folder.findMany({ where: { path: { in: [...wantedFolders] } }, select: { path: true } })).map(
      (f) => f.path,
    ),
  );
  report.created.folders = [...wantedFolders].filter((f) => !haveFolders.has(f)).sort();
  const wantedTags = new Set([
    ...bundle.tags.map((t) => t.name),
    ...promptPlans.filter((p) => p.kind === "create").flatMap((p) => p.p.tags),
  ]);
  const haveTags = new Set(
    (await tx.tag.findMany({ where: { name: { in: [...wantedTags] } }, select: { name: true } })).map((t) => t.name),
  );
  report.created.tags = [...wantedTags].filter((t) => !haveTags.has(t)).sort();

  return { issues, report, snippetPlans, promptPlans, snippetByName, versionsOf };
}

/** Every person the bundle names, linked to this instance's accounts by e-mail. */
async function accountsByEmail(tx: Tx, bundle: Bundle): Promise<Map<string, string>> {
  const emails = new Set<string>();
  const add = (e: string | null) => e && emails.add(e);
  for (const s of bundle.snippets) for (const v of s.versions) add(v.author);
  for (const p of bundle.prompts) {
    add(p.owner);
    for (const v of p.versions) add(v.author);
    for (const l of p.labels) for (const e of l.events) add(e.actor);
  }
  if (!emails.size) return new Map();
  const users = await tx.user.findMany({ where: { email: { in: [...emails] } }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.email, u.id]));
}

/** What an import would do, and every problem that stops it; writes nothing (the import page's preview). */
export async function previewImport(db: Db, bundle: Bundle, policy: ClashPolicy) {
  return db.$transaction(async (tx) => {
    const { issues, report } = await plan(tx, bundle, policy);
    return { report: { ...report, dryRun: true }, issues };
  });
}

/** Imports a bundle in one transaction; any problem → InvalidError (422) with every issue, and nothing written. */
export async function importBundle(db: Db, bundle: Bundle, options: ImportOptions): Promise<ImportReport> {
  return db.$transaction(
    async (tx) => {
      const { issues, report, snippetPlans, promptPlans, snippetByName, versionsOf } = await plan(
        tx,
        bundle,
        options.policy,
      );
      if (issues.length)
        throw new InvalidError(
          `Nothing was imported: the bundle has ${issues.length} problem${issues.length === 1 ? "" : "s"} here.`,
          issues.slice(0, 200),
        );
      if (options.dryRun) return { ...report, dryRun: true };

      const people = await accountsByEmail(tx, bundle);
      const who = (email: string | null) => {
        const id = email ? (people.get(email) ?? null) : null;
        return { id, text: id ? null : email };
      };
      const now = new Date();

      // Folders, parents first (sorted paths put "a" before "a/b").
      const folderCreated = new Map(bundle.folders.map((f) => [f.path, new Date(f.createdAt)]));
      const folderIds = new Map<string, string>();
      for (const path of report.created.folders) {
        const parent = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : null;
        const parentId = parent
          ? (folderIds.get(parent) ?? (await tx.folder.findUniqueOrThrow({ where: { path: parent } })).id)
          : null;
        const f = await tx.folder.create({
          data: {
            path,
            name: path.slice(path.lastIndexOf("/") + 1),
            parentId,
            createdAt: folderCreated.get(path) ?? now,
          },
        });
        folderIds.set(path, f.id);
      }
      const folderId = async (path: string) =>
        path ? (folderIds.get(path) ?? (await tx.folder.findUniqueOrThrow({ where: { path } })).id) : null;

      const tagCreated = new Map(bundle.tags.map((t) => [t.name, new Date(t.createdAt)]));
      if (report.created.tags.length)
        await tx.tag.createMany({
          data: report.created.tags.map((name) => ({ name, createdAt: tagCreated.get(name) ?? now })),
        });

      // Snippets: created whole, or a new version on the existing one.
      const snippetVersionIds = new Map<string, string>();
      const snippetIds = new Map<string, string>();
      for (const plan of snippetPlans) {
        const s = bundle.snippets[plan.index]!;
        if (plan.kind === "create") {
          const created = await tx.snippet.create({
            data: {
              name: s.name,
              description: s.description,
              headVersion: s.headVersion,
              createdAt: new Date(s.createdAt),
              updatedAt: new Date(s.updatedAt),
              deletedAt: s.deletedAt ? new Date(s.deletedAt) : null,
            },
          });
          snippetIds.set(s.name, created.id);
          const versions = await tx.snippetVersion.createManyAndReturn({
            data: s.versions.map((v) => {
              const author = who(v.author);
              return {
                snippetId: created.id,
                number: v.number,
                template: v.template,
                message: v.message,
                authorId: author.id,
                importedAuthor: author.text,
                createdAt: new Date(v.createdAt),
              };
            }),
            select: { id: true, number: true },
          });
          for (const v of versions) snippetVersionIds.set(`${s.name}@${v.number}`, v.id);
        } else {
          const head = s.versions.find((v) => v.number === s.headVersion)!;
          await tx.snippetVersion.create({
            data: {
              snippetId: plan.targetId,
              number: plan.number,
              template: head.template,
              message: head.message || `Imported (version ${head.number} in the bundle)`,
              authorId: options.actor?.id ?? null,
            },
          });
          await tx.snippet.update({ where: { id: plan.targetId }, data: { headVersion: plan.number } });
        }
      }
      /** A pin's row: the snippet version the import wrote, or the one here with the same number. */
      const pinRow = (versionId: string, pin: BundleVersion["pins"][number]) => {
        if (pin.snippet === null)
          return {
            versionId,
            name: pin.name,
            snippetId: null,
            snippetVersionId: null,
            snippetNumber: pin.snippetVersion,
            template: pin.template,
          };
        const created = snippetVersionIds.get(`${pin.snippet}@${pin.snippetVersion}`);
        const target = snippetByName.get(pin.snippet);
        const theirs = target ? versionsOf.get(target.id)?.get(pin.snippetVersion) : undefined;
        return {
          versionId,
          name: pin.name,
          snippetId: snippetIds.get(pin.snippet) ?? target?.id ?? null,
          snippetVersionId: created ?? (theirs && theirs.template === pin.template ? theirs.id : null),
          snippetNumber: pin.snippetVersion,
          template: pin.template,
        };
      };
      const writeVersions = async (
        promptId: string,
        versions: Array<{
          v: BundleVersion;
          number: number;
          author: { id: string | null; text: string | null };
          createdAt: Date;
          message: string;
        }>,
      ) => {
        const rows = await tx.promptVersion.createManyAndReturn({
          data: versions.map(({ v, number, author, createdAt, message }) => ({
            promptId,
            number,
            message,
            authorId: author.id,
            importedAuthor: author.text,
            modelSettings: JSON.stringify(v.modelSettings),
            createdAt,
          })),
          select: { id: true, number: true },
        });
        const idOf = new Map(rows.map((r) => [r.number, r.id]));
        const sections = versions.flatMap(({ v, number }) => sectionRows(idOf.get(number)!, draftOf(v)));
        const variables = versions.flatMap(({ v, number }) => variableRows(idOf.get(number)!, draftOf(v)));
        const pins = versions.flatMap(({ v, number }) => v.pins.map((pin) => pinRow(idOf.get(number)!, pin)));
        if (sections.length) await tx.section.createMany({ data: sections });
        if (variables.length) await tx.variable.createMany({ data: variables });
        if (pins.length) await tx.versionSnippetPin.createMany({ data: pins });
        return idOf;
      };

      const tagIds = new Map(
        (
          await tx.tag.findMany({
            where: { name: { in: bundle.prompts.flatMap((p) => p.tags) } },
            select: { id: true, name: true },
          })
        ).map((t) => [t.name, t.id]),
      );

      for (const plan of promptPlans) {
        const p = plan.p;
        const head = headOf(p);
        if (plan.kind === "create") {
          const owner = who(p.owner);
          const created = await tx.prompt.create({
            data: {
              slug: plan.slug,
              name: plan.name,
              description: p.description,
              favorite: p.favorite,
              folderId: await folderId(p.folder),
              ownerId: owner.id,
              importedOwner: owner.text,
              visibility: p.visibility,
              headVersion: p.headVersion,
              createdAt: new Date(p.createdAt),
              updatedAt: new Date(p.updatedAt),
              deletedAt: p.deletedAt ? new Date(p.deletedAt) : null,
              testValues: JSON.stringify(p.testValues),
              searchText: searchDocument({ name: plan.name, description: p.description, sections: head.sections }),
            },
          });
          const idOf = await writeVersions(
            created.id,
            p.versions.map((v) => ({
              v,
              number: v.number,
              author: who(v.author),
              createdAt: new Date(v.createdAt),
              message: v.message,
            })),
          );
          for (const l of p.labels) {
            const label = await tx.label.create({
              data: {
                promptId: created.id,
                name: l.name,
                versionId: idOf.get(l.version)!,
                protected: l.protected,
                updatedAt: new Date(l.updatedAt),
              },
            });
            if (l.events.length)
              await tx.labelEvent.createMany({
                data: l.events.map((e) => {
                  const actor = who(e.actor);
                  return {
                    labelId: label.id,
                    fromVersionId: e.from === null ? null : idOf.get(e.from)!,
                    toVersionId: idOf.get(e.to)!,
                    fromNumber: e.from,
                    toNumber: e.to,
                    actorId: actor.id,
                    importedActor: actor.text,
                    createdAt: new Date(e.at),
                  };
                }),
              });
          }
          if (p.tags.length)
            await tx.promptTag.createMany({
              data: [...new Set(p.tags)].map((t) => ({ promptId: created.id, tagId: tagIds.get(t)! })),
            });
          const names = partialNames(head);
          if (names.length)
            await tx.promptSnippetUse.createMany({
              data: names.map((snippetName) => ({ promptId: created.id, snippetName })),
            });
        } else {
          const target = await tx.prompt.findUniqueOrThrow({
            where: { id: plan.targetId },
            select: { name: true, description: true },
          });
          await writeVersions(plan.targetId, [
            {
              v: head,
              number: plan.number,
              author: { id: options.actor?.id ?? null, text: null },
              createdAt: now,
              message: head.message || `Imported (version ${head.number} in the bundle)`,
            },
          ]);
          await tx.prompt.update({
            where: { id: plan.targetId },
            data: {
              headVersion: plan.number,
              searchText: searchDocument({
                name: target.name,
                description: target.description,
                sections: head.sections,
              }),
            },
          });
          await tx.promptSnippetUse.deleteMany({ where: { promptId: plan.targetId } });
          const names = partialNames(head);
          if (names.length)
            await tx.promptSnippetUse.createMany({
              data: names.map((snippetName) => ({ promptId: plan.targetId, snippetName })),
            });
        }
      }
      const changed =
        report.created.prompts.length +
        report.created.snippets.length +
        report.newVersions.length +
        report.renamed.length;
      // An import that skipped everything changed nothing and leaves no trace (a skip writes nothing).
      if (options.audit !== false && changed > 0)
        await recordAudit(tx, options.actor, {
          action: "library.import",
          target: { type: "library", id: "bundle", name: `bundle v${bundle.formatVersion}` },
          details: { policy: options.policy, prompts: bundle.prompts.length, snippets: bundle.snippets.length },
        });
      return { ...report, dryRun: false };
    },
    { timeout: options.timeoutMs ?? 60_000, maxWait: 10_000 },
  );
}
