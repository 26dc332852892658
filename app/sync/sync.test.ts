import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { promptZip, type ZipPrompt } from "~/library/prompt-zip";
import { STARTER_TEMPLATES } from "~/prompt/starters";
import { conflictDiff, MAX_DIFF_LINES } from "./conflict-diff";
import { describeFailure } from "./http-errors";
import { emptyLock, LockError, parseLock, serializeLock, sha256, type Lock } from "./lock";
import { isSafeRelativePath, nameFromSlug, targetOfPath } from "./paths";
import { applyPull, pullPlan, pushPlan } from "./plan";
import { remoteFromZip, RemoteError, type Remote, type RemoteFile } from "./remote";
import { computeStatus, inSync, type FileStatus } from "./status";

const hex = (c: string) => c.repeat(64);

describe("the lock file", () => {
  it("round-trips, in a stable order, so an unchanged lock is the same bytes", () => {
    const lock: Lock = {
      ...emptyLock("https://p.example", "support"),
      files: {
        "b.prompt": { kind: "prompt", slug: "b", version: 2, sha256: hex("b") },
        "_s.prompt": { kind: "snippet", name: "s", version: 1, sha256: hex("c") },
        "a/a.prompt": { kind: "prompt", slug: "a", version: 1, sha256: hex("a") },
      },
    };
    const text = serializeLock(lock);
    expect(Object.keys(JSON.parse(text).files)).toEqual(["_s.prompt", "a/a.prompt", "b.prompt"]);
    expect(parseLock(text)).toEqual(lock);
    expect(serializeLock(parseLock(text))).toBe(text);
  });

  it("refuses what is not a lock this version understands, naming where", () => {
    expect(() => parseLock("{")).toThrow(LockError);
    expect(() => parseLock(JSON.stringify({ ...emptyLock("u", ""), formatVersion: 2 }))).toThrow(/formatVersion/);
    const bad = {
      ...emptyLock("u", ""),
      files: { "a.prompt": { kind: "prompt", slug: "a", version: 0, sha256: "x" } },
    };
    expect(() => parseLock(JSON.stringify(bad))).toThrow(/files\.a\.prompt\.version/);
    const outside = {
      ...emptyLock("u", ""),
      files: { "../x.prompt": { kind: "prompt", slug: "x", version: 1, sha256: hex("a") } },
    };
    expect(() => parseLock(JSON.stringify(outside))).toThrow(/inside the directory/);
  });

  it("hashes bytes and text alike", () => {
    expect(sha256("é")).toBe(sha256(new TextEncoder().encode("é")));
  });
});

describe("files and what they stand for", () => {
  it("maps a path to a prompt (slug, full folder) or a snippet", () => {
    expect(targetOfPath("email/support-reply.prompt", "support")).toEqual({
      kind: "prompt",
      slug: "support-reply",
      folder: "support/email",
    });
    expect(targetOfPath("top.prompt", "")).toEqual({ kind: "prompt", slug: "top", folder: "" });
    expect(targetOfPath("_sign-off.prompt", "")).toEqual({ kind: "snippet", name: "sign-off" });
  });

  it("refuses names that are not slugs, snippets below the top, and paths that leave the tree", () => {
    expect(targetOfPath("Support Reply.prompt", "").kind).toBe("invalid");
    expect(targetOfPath("a/_s.prompt", "").kind).toBe("invalid");
    expect(targetOfPath("notes.txt", "").kind).toBe("invalid");
    for (const p of ["../x.prompt", "/etc/x.prompt", "a//b.prompt", "a/./b.prompt", "a\\b.prompt", "C:/x.prompt", ""])
      expect(isSafeRelativePath(p), p).toBe(false);
    expect(isSafeRelativePath("a/b.prompt")).toBe(true);
  });

  it("names a new prompt from its slug", () => {
    expect(nameFromSlug("support-reply")).toBe("Support reply");
  });
});

const starter = STARTER_TEMPLATES[0]!;
const zipPrompt = (slug: string, folder: string, headVersion: number): ZipPrompt => ({
  slug,
  name: slug,
  description: "",
  folder,
  tags: [],
  headVersion,
  labels: { production: 1 },
  draft: starter.draft,
});

describe("the instance's side, from its export zip", () => {
  it("reads the server's own zip: files, versions, labels, snippets", () => {
    const zip = promptZip({
      prompts: [zipPrompt("reply", "support/email", 3), zipPrompt("other", "support", 1)],
      snippets: [{ name: "sign", description: "", headVersion: 2, template: "— {{team}}" }],
      folder: "support",
    });
    const remote = remoteFromZip(zip);
    expect(remote.folder).toBe("support");
    expect(remote.byKey.get("prompt:reply")).toMatchObject({
      path: "email/reply.prompt",
      version: 3,
      labels: { production: 1 },
    });
    expect(remote.byKey.get("snippet:sign")).toMatchObject({ path: "_sign.prompt", version: 2, text: "— {{team}}" });
  });

  it("refuses a zip that is not one, a missing manifest, and a path outside the directory", () => {
    expect(() => remoteFromZip(strToU8("not a zip"))).toThrow(RemoteError);
    expect(() => remoteFromZip(zipSync({ "a.prompt": strToU8("x") }))).toThrow(/prompt-builder\.json/);
    const manifest = {
      formatVersion: 1,
      folder: "",
      prompts: { "../evil.prompt": { slug: "evil", version: 1, labels: {} } },
      snippets: {},
    };
    const evil = zipSync({ "../evil.prompt": strToU8("x"), "prompt-builder.json": strToU8(JSON.stringify(manifest)) });
    expect(() => remoteFromZip(evil)).toThrow(/outside the directory/);
    expect(() =>
      remoteFromZip(zipSync({ "prompt-builder.json": strToU8(JSON.stringify({ ...manifest, formatVersion: 9 })) })),
    ).toThrow(/update the client/);
  });
});

// ── status and plans ────────────────────────────────────────────────────────────────────────────

function remoteOf(
  files: Array<Partial<RemoteFile> & { path: string; id: string; version: number; text: string }>,
): Remote {
  return {
    folder: "",
    byKey: new Map(
      files.map((f) => {
        const kind = f.kind ?? "prompt";
        const key = `${kind}:${f.id}`;
        return [key, { kind, key, labels: {}, ...f }];
      }),
    ),
  };
}
const entry = (slug: string, version: number, text: string) => ({
  kind: "prompt" as const,
  slug,
  version,
  sha256: sha256(text),
});

/** One library with a file in every state. */
function scenario() {
  const lock: Lock = {
    ...emptyLock("u", ""),
    files: {
      "same.prompt": entry("same", 1, "same"),
      "mine.prompt": entry("mine", 1, "mine"),
      "theirs.prompt": entry("theirs", 1, "theirs"),
      "both.prompt": entry("both", 1, "both"),
      "gone.prompt": entry("gone", 1, "gone"),
      "gone-edited.prompt": entry("gone-edited", 1, "ge"),
      "deleted.prompt": entry("deleted", 1, "deleted"),
      "old/moved.prompt": entry("moved", 1, "moved"),
    },
  };
  const local = new Map(
    Object.entries({
      "same.prompt": "same",
      "mine.prompt": "mine, edited",
      "theirs.prompt": "theirs",
      "both.prompt": "both, edited",
      "gone.prompt": "gone",
      "gone-edited.prompt": "ge, edited",
      "old/moved.prompt": "moved",
      "fresh.prompt": "fresh",
      "Bad Name.prompt": "bad",
    }).map(([p, t]) => [p, sha256(t)]),
  );
  const remote = remoteOf([
    { path: "same.prompt", id: "same", version: 1, text: "same" },
    { path: "mine.prompt", id: "mine", version: 1, text: "mine" },
    { path: "theirs.prompt", id: "theirs", version: 2, text: "theirs v2" },
    { path: "both.prompt", id: "both", version: 2, text: "both v2" },
    { path: "deleted.prompt", id: "deleted", version: 1, text: "deleted" },
    { path: "new/moved.prompt", id: "moved", version: 1, text: "moved" },
    { path: "remote-new.prompt", id: "remote-new", version: 4, text: "hello" },
  ]);
  return { lock, local, remote };
}

const stateOf = (statuses: FileStatus[]) => Object.fromEntries(statuses.map((s) => [s.path, s.state]));

describe("status", () => {
  it("gives every file one of the states", () => {
    const { lock, local, remote } = scenario();
    const statuses = computeStatus(lock, local, remote);
    expect(stateOf(statuses)).toEqual({
      "same.prompt": "unchanged",
      "mine.prompt": "modified",
      "theirs.prompt": "changed-remote",
      "both.prompt": "conflict",
      "gone.prompt": "gone-remote",
      "gone-edited.prompt": "gone-remote",
      "deleted.prompt": "deleted-local",
      "old/moved.prompt": "changed-remote",
      "fresh.prompt": "new-local",
      "Bad Name.prompt": "new-local",
      "remote-new.prompt": "new-remote",
    });
    expect(statuses.find((s) => s.path === "old/moved.prompt")?.movedTo).toBe("new/moved.prompt");
    expect(statuses.find((s) => s.path === "gone-edited.prompt")?.localModified).toBe(true);
    expect(statuses.find((s) => s.path === "Bad Name.prompt")?.problem).toMatch(/not a slug/);
    expect(inSync(statuses)).toBe(false);
    expect(inSync(statuses.filter((s) => s.state === "unchanged"))).toBe(true);
  });

  it("without a lock: the same bytes are in sync, different bytes a conflict (pull first)", () => {
    const remote = remoteOf([
      { path: "a.prompt", id: "a", version: 2, text: "a" },
      { path: "b.prompt", id: "b", version: 1, text: "b" },
    ]);
    const local = new Map([
      ["a.prompt", sha256("a")],
      ["b.prompt", sha256("b, mine")],
    ]);
    const statuses = computeStatus(emptyLock("u", ""), local, remote);
    expect(stateOf(statuses)).toEqual({ "a.prompt": "unchanged", "b.prompt": "conflict" });
    expect(statuses[1]!.problem).toMatch(/pull first/);
    // A pull records the file that was already the same, and refuses the other.
    const plan = pullPlan(statuses, false);
    expect(plan.refused.map((r) => r.path)).toEqual(["b.prompt"]);
    expect(plan.steps).toEqual([]);
    expect(applyPull(emptyLock("u", ""), pullPlan(statuses, true).steps).files["a.prompt"]?.version).toBe(2);
  });

  it("a second file for a prompt already in the lock cannot be pushed", () => {
    const lock = { ...emptyLock("u", ""), files: { "a/x.prompt": entry("x", 1, "x") } };
    const statuses = computeStatus(
      lock,
      new Map([
        ["a/x.prompt", sha256("x")],
        ["b/x.prompt", sha256("copy")],
      ]),
      remoteOf([{ path: "a/x.prompt", id: "x", version: 1, text: "x" }]),
    );
    expect(stateOf(statuses)["b/x.prompt"]).toBe("new-local");
    expect(pushPlan(statuses).skipped.map((s) => s.path)).toEqual(["b/x.prompt"]);
  });
});

describe("pull", () => {
  it("refuses the whole pull when it would overwrite an edit that is not pushed, and says which", () => {
    const { lock, local, remote } = scenario();
    const { steps, refused } = pullPlan(computeStatus(lock, local, remote), false);
    expect(steps).toEqual([]);
    expect(refused.map((r) => r.path).sort()).toEqual(["both.prompt", "gone-edited.prompt"]);
  });

  it("brings the instance's changes in, keeps local edits and deletions, and updates the lock", () => {
    const { lock, local, remote } = scenario();
    const statuses = computeStatus(lock, local, remote).filter(
      (s) => s.path !== "both.prompt" && s.path !== "gone-edited.prompt",
    );
    const { steps, refused } = pullPlan(statuses, false);
    expect(refused).toEqual([]);
    const written = steps.flatMap((s) => (s.op === "write" ? [s.path] : []));
    expect(written.sort()).toEqual(["new/moved.prompt", "remote-new.prompt", "theirs.prompt"]);
    expect(steps.find((s) => s.op === "write" && s.path === "new/moved.prompt")).toMatchObject({
      removeFrom: "old/moved.prompt",
    });
    expect(steps.filter((s) => s.op === "remove").map((s) => s.path)).toEqual(["gone.prompt"]);
    const after = applyPull(lock, steps);
    expect(after.files["theirs.prompt"]).toEqual(entry("theirs", 2, "theirs v2"));
    expect(after.files["old/moved.prompt"]).toBeUndefined();
    expect(after.files["gone.prompt"]).toBeUndefined();
    expect(after.files["mine.prompt"]).toEqual(lock.files["mine.prompt"]); // the edit stays to push
    expect(after.files["deleted.prompt"]).toEqual(lock.files["deleted.prompt"]);
  });

  it("--force takes the instance's files", () => {
    const { lock, local, remote } = scenario();
    const { steps, refused } = pullPlan(computeStatus(lock, local, remote), true);
    expect(refused).toEqual([]);
    const paths = steps.map((s) => (s.op === "forget" ? s.lockPath : s.path));
    expect(paths).toEqual(expect.arrayContaining(["both.prompt", "gone-edited.prompt", "deleted.prompt"]));
  });
});

describe("push", () => {
  it("sends edits on top of the lock's version and new files; refuses conflicts; never trashes", () => {
    const { lock, local, remote } = scenario();
    const { steps, skipped } = pushPlan(computeStatus(lock, local, remote));
    expect(steps).toEqual([
      { op: "create", path: "fresh.prompt", kind: "prompt", id: "fresh" },
      { op: "version", path: "mine.prompt", kind: "prompt", id: "mine", baseVersion: 1 },
    ]);
    const why = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(Object.keys(why).sort()).toEqual(["Bad Name.prompt", "both.prompt", "deleted.prompt", "gone-edited.prompt"]);
    expect(why["both.prompt"]).toMatch(/version 2, newer than version 1/);
    expect(why["deleted.prompt"]).toMatch(/never trashes/);
    expect(skipped.find((s) => s.path === "both.prompt")?.conflict?.remote?.text).toBe("both v2");
  });
});

describe("the conflict diff", () => {
  it("is a unified diff from the instance's file to the local one", () => {
    const diff = conflictDiff("a.prompt", { text: "one\ntwo\n", version: 3 }, "one\nTWO\n");
    expect(diff).toContain("--- instance/a.prompt\tversion 3 on the instance");
    expect(diff).toContain("+++ local/a.prompt\tyour file");
    expect(diff).toContain("-two\n+TWO");
    expect(diff.startsWith("=")).toBe(false);
  });

  it("is cut after a bounded number of lines", () => {
    const many = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join("\n");
    const diff = conflictDiff("a.prompt", { text: many, version: 1 }, "");
    expect(diff.split("\n").length).toBeLessThanOrEqual(MAX_DIFF_LINES + 2);
    expect(diff).toMatch(/more lines/);
  });
});

describe("failures, in one sentence each", () => {
  const base = { what: "GET /api/v1/export.zip", hadToken: true, problem: { error: "Invalid token." } };
  it("explains 401 with and without a token, 403, 404 of the export, and 5xx", () => {
    expect(describeFailure({ ...base, status: 401 })).toMatch(/did not accept the token/);
    expect(describeFailure({ ...base, status: 401, hadToken: false })).toMatch(/PROMPT_BUILDER_TOKEN/);
    expect(describeFailure({ ...base, status: 403 })).toMatch(/write scope/);
    expect(describeFailure({ ...base, status: 404 })).toMatch(/ENABLE_EXPORT=false/);
    expect(describeFailure({ ...base, status: 503 })).toMatch(/failed \(503\)/);
    expect(
      describeFailure({
        ...base,
        status: 422,
        problem: { error: "Bad.", issues: [{ path: ["sections", 0], message: "no" }] },
      }),
    ).toContain("sections.0: no");
  });
});
