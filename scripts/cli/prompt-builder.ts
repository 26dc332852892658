// `npx prompt-builder pull|push|status` — two-way git sync of a folder of `.prompt` files with a
// running instance, through its REST API v1 only (docs/git-sync.md, docs/decisions/130). The domain
// (lock file, status, plans, diffs, error sentences) is in app/sync/; this file wires the arguments,
// HTTP and the filesystem. Exit codes: 0 done / in sync, 1 something left to do or refused (status
// with changes, a conflict, a file the instance refused), 2 bad arguments or lock file, 3 the
// instance could not be reached, refused the credentials, or failed.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseDotprompt } from "~/prompt/dotprompt-import";
import { toDotpromptSource } from "~/prompt/targets";
import { conflictDiff } from "~/sync/conflict-diff";
import { asProblem, describeFailure, type ProblemBody } from "~/sync/http-errors";
import { emptyLock, LOCK_FILE, LockError, parseLock, serializeLock, sha256, type Lock } from "~/sync/lock";
import { nameFromSlug, PROMPT_EXT } from "~/sync/paths";
import { applyPull, pullPlan, pushPlan, type PushStep } from "~/sync/plan";
import { remoteFromZip, RemoteError, type Remote } from "~/sync/remote";
import { computeStatus, inSync, STATE_TEXT, type FileStatus } from "~/sync/status";

const EXIT = { ok: 0, pending: 1, usage: 2, instance: 3 } as const;
/** Most local `.prompt` files one directory may hold, and the largest one (the API takes 1 MB bodies). */
const MAX_LOCAL_FILES = 10_000;
const MAX_FILE_BYTES = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 60_000;
/** A 429 with Retry-After up to this many seconds is waited out, at most this many times per request. */
const MAX_RATE_WAIT_S = 60;
const MAX_RATE_WAITS = 20;

const USAGE = `usage: prompt-builder <command> [options]

commands:
  pull     write the instance's prompts (or one folder's) as .prompt files, and the lock file
  status   what changed locally and on the instance since the last pull or push
  push     send local edits as new versions and new files as new prompts; never overwrites
           a change made on the instance (refused with a diff)

options:
  --url URL        the instance (or PROMPT_BUILDER_URL), e.g. https://prompts.example.com
  --token TOKEN    an API token, pb_… (or PROMPT_BUILDER_TOKEN); read scope to pull, write to push
  --dir DIR        the directory of .prompt files (default: the current one)
  --folder PATH    pull only this folder of the library (remembered in the lock file)
  --force          pull: overwrite local edits that are not pushed
  --label NAME     push: move this label to each version just pushed (never moved otherwise)
  --message TEXT   push: the versions' message
  --dry-run        pull/push: show what would happen, change nothing
  -h, --help       this text

exit codes: 0 done / in sync; 1 changes to sync (status) or something refused (conflict, invalid
file); 2 bad arguments or lock file; 3 instance unreachable, credentials refused, or it failed.
See docs/git-sync.md.
`;

class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

type Options = {
  url: string;
  token: string;
  dir: string;
  folder?: string;
  force: boolean;
  label?: string;
  message?: string;
  dryRun: boolean;
};

function parseCommandLine(argv: string[]): { command: string; options: Options } | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: "string" },
        token: { type: "string" },
        dir: { type: "string" },
        folder: { type: "string" },
        force: { type: "boolean", default: false },
        label: { type: "string" },
        message: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${USAGE}`, EXIT.usage);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === "help") return "help";
  const command = positionals[0];
  if (!command) throw new CliError(USAGE, EXIT.usage);
  if (!["pull", "push", "status"].includes(command))
    throw new CliError(`unknown command "${command}"\n\n${USAGE}`, EXIT.usage);
  if (positionals.length > 1) throw new CliError(`unexpected argument "${positionals[1]}"\n\n${USAGE}`, EXIT.usage);
  const url = (values.url ?? process.env.PROMPT_BUILDER_URL ?? "").trim().replace(/\/+$/, "");
  if (!url) throw new CliError("No instance: pass --url or set PROMPT_BUILDER_URL.", EXIT.usage);
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new CliError(`--url "${url}" is not a URL (e.g. https://prompts.example.com).`, EXIT.usage);
  }
  if (parsedUrl.protocol !== "http:" && parsedUrl.protocol !== "https:")
    throw new CliError(`--url "${url}" must start with http:// or https://.`, EXIT.usage);
  const only = (flag: string, commands: string[]) => {
    if (!commands.includes(command)) throw new CliError(`--${flag} is for ${commands.join(" and ")} only.`, EXIT.usage);
  };
  if (values.force) only("force", ["pull"]);
  if (values.label !== undefined) only("label", ["push"]);
  if (values.message !== undefined) only("message", ["push"]);
  if (values["dry-run"]) only("dry-run", ["pull", "push"]);
  if (values.label !== undefined && !/^[a-z0-9_-]{1,40}$/.test(values.label))
    throw new CliError(
      `--label "${values.label}" is not a label name (lower-case letters, digits, - and _).`,
      EXIT.usage,
    );
  return {
    command,
    options: {
      url,
      token: (values.token ?? process.env.PROMPT_BUILDER_TOKEN ?? "").trim(),
      dir: path.resolve(values.dir ?? "."),
      ...(values.folder !== undefined ? { folder: values.folder.trim().replace(/^\/+|\/+$/g, "") } : {}),
      force: values.force ?? false,
      ...(values.label !== undefined ? { label: values.label } : {}),
      ...(values.message !== undefined ? { message: values.message } : {}),
      dryRun: values["dry-run"] ?? false,
    },
  };
}

// ── HTTP ──────────────────────────────────────────────────────────────────────────────────────

type Answer = { status: number; json: unknown; bytes: Uint8Array; headers: Headers };

class Instance {
  constructor(private readonly options: Options) {}

  /**
   * One request. A write carries an Idempotency-Key, so a request lost on the way (network error,
   * 502/503/504) is sent again with the same key and never makes two versions.
   */
  async request(
    method: string,
    pathAndQuery: string,
    init: { body?: string; contentType?: string; idempotent?: boolean } = {},
  ): Promise<Answer> {
    const key = method === "GET" ? undefined : randomUUID();
    const headers: Record<string, string> = { Accept: "application/json, application/problem+json, application/zip" };
    if (this.options.token) headers.Authorization = `Bearer ${this.options.token}`;
    if (init.contentType) headers["Content-Type"] = init.contentType;
    if (key) headers["Idempotency-Key"] = key;
    const url = `${this.options.url}${pathAndQuery}`;
    let lastError = "";
    let waits = 0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      let res: Response;
      let bytes: Uint8Array;
      try {
        res = await fetch(url, { method, headers, body: init.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        // Inside the try: a connection cut while the answer is read is a lost answer too.
        bytes = new Uint8Array(await res.arrayBuffer());
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        lastError = cause?.code ?? cause?.message ?? (error as Error).message;
        await new Promise((r) => setTimeout(r, 300 * attempt));
        continue;
      }
      // A 409 with Retry-After is the same key still running: wait and ask again (it replays the answer).
      const busy = res.status === 409 && res.headers.get("retry-after") !== null && key !== undefined;
      if ((res.status >= 502 && res.status <= 504) || busy) {
        lastError = `${res.status} ${res.statusText}`;
        await new Promise((r) => setTimeout(r, 500 * attempt));
        continue;
      }
      // Over the instance's rate limit (saves: 30 a minute by default): wait as told and send the same request again.
      const retryAfter = Number(res.headers.get("retry-after"));
      if (
        res.status === 429 &&
        Number.isFinite(retryAfter) &&
        retryAfter <= MAX_RATE_WAIT_S &&
        waits < MAX_RATE_WAITS
      ) {
        waits += 1;
        attempt -= 1;
        process.stderr.write(`  (rate limited by the instance: waiting ${retryAfter} s)\n`);
        await new Promise((r) => setTimeout(r, Math.max(retryAfter, 1) * 1000));
        continue;
      }
      const type = res.headers.get("content-type") ?? "";
      let json: unknown = null;
      if (type.includes("json")) {
        try {
          json = JSON.parse(Buffer.from(bytes).toString("utf8"));
        } catch {
          json = null;
        }
      }
      return { status: res.status, json, bytes, headers: res.headers };
    }
    throw new CliError(`Cannot reach ${this.options.url} (${method} ${pathAndQuery}): ${lastError}.`, EXIT.instance);
  }

  failure(answer: Answer, what: string): string {
    if (answer.status < 400 && !asProblem(answer.json))
      return `Unexpected answer ${answer.status} for ${what} (${answer.headers.get("content-type") ?? "no content type"}): is --url a Prompt Builder instance?`;
    return describeFailure({
      status: answer.status,
      problem: asProblem(answer.json),
      what,
      hadToken: Boolean(this.options.token),
      retryAfter: answer.headers.get("retry-after"),
    });
  }

  /** A failure that stops the whole command (credentials, an instance that is down). */
  fatal(answer: Answer, what: string): never {
    throw new CliError(this.failure(answer, what), EXIT.instance);
  }

  async remote(folder: string): Promise<Remote> {
    const query = folder ? `?folder=${encodeURIComponent(folder)}` : "";
    const what = `GET /api/v1/export.zip${query}`;
    const answer = await this.request("GET", `/api/v1/export.zip${query}`);
    if (answer.status !== 200 || !(answer.headers.get("content-type") ?? "").includes("zip")) this.fatal(answer, what);
    try {
      return remoteFromZip(answer.bytes);
    } catch (error) {
      if (error instanceof RemoteError) throw new CliError(`${what}: ${error.message}`, EXIT.instance);
      throw error;
    }
  }
}

// ── Filesystem ────────────────────────────────────────────────────────────────────────────────

type LocalFiles = { shas: Map<string, string>; texts: Map<string, string> };

function scanLocal(dir: string): LocalFiles {
  const shas = new Map<string, string>();
  const texts = new Map<string, string>();
  if (!fs.existsSync(dir)) return { shas, texts };
  const walk = (abs: string, rel: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(abs, entry.name);
      if (entry.isDirectory()) walk(childAbs, childRel);
      else if (entry.isFile() && entry.name.endsWith(PROMPT_EXT)) {
        if (shas.size >= MAX_LOCAL_FILES)
          throw new CliError(`More than ${MAX_LOCAL_FILES} ${PROMPT_EXT} files under ${dir}.`, EXIT.usage);
        const size = fs.statSync(childAbs).size;
        if (size > MAX_FILE_BYTES)
          throw new CliError(`${childRel} is ${size} bytes; a .prompt file may have at most 1 MB.`, EXIT.usage);
        const bytes = fs.readFileSync(childAbs);
        shas.set(childRel, sha256(bytes));
        texts.set(childRel, bytes.toString("utf8"));
      }
    }
  };
  walk(dir, "");
  return { shas, texts };
}

function loadLock(options: Options): { lock: Lock; existed: boolean } {
  const file = path.join(options.dir, LOCK_FILE);
  if (!fs.existsSync(file)) return { lock: emptyLock(options.url, options.folder ?? ""), existed: false };
  let lock: Lock;
  try {
    lock = parseLock(fs.readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof LockError) throw new CliError(`${file}: ${error.message}`, EXIT.usage);
    throw error;
  }
  if (options.folder !== undefined && options.folder !== lock.folder)
    throw new CliError(
      `${LOCK_FILE} was pulled from folder "${lock.folder}", not "${options.folder}": use another --dir for another folder.`,
      EXIT.usage,
    );
  if (lock.instance && lock.instance !== options.url)
    err(
      `Note: ${LOCK_FILE} was last synced with ${lock.instance}, not ${options.url}: versions in it are that instance's.`,
    );
  return { lock, existed: true };
}

function saveLock(options: Options, lock: Lock) {
  fs.mkdirSync(options.dir, { recursive: true });
  const file = path.join(options.dir, LOCK_FILE);
  fs.writeFileSync(`${file}.tmp`, serializeLock({ ...lock, instance: options.url }));
  fs.renameSync(`${file}.tmp`, file);
}

const out = (line = "") => process.stdout.write(`${line}\n`);
const err = (line = "") => process.stderr.write(`${line}\n`);

// ── Commands ──────────────────────────────────────────────────────────────────────────────────

function describe(s: FileStatus): string {
  const versions =
    s.lock && s.remote && s.lock.version !== s.remote.version
      ? ` (v${s.lock.version} → v${s.remote.version} on the instance)`
      : s.lock
        ? ` (v${s.lock.version})`
        : s.remote
          ? ` (v${s.remote.version})`
          : "";
  const moved = s.movedTo ? `, moved to ${s.movedTo} on the instance` : "";
  const note = s.problem
    ? ` — ${s.problem}`
    : s.state === "gone-remote" && s.localModified
      ? " — and edited locally"
      : "";
  return `  ${STATE_TEXT[s.state].padEnd(26)} ${s.path}${versions}${moved}${note}`;
}

async function gather(instance: Instance, options: Options) {
  const { lock, existed } = loadLock(options);
  const remote = await instance.remote(lock.folder);
  const local = scanLocal(options.dir);
  return { lock, existed, local, statuses: computeStatus(lock, local.shas, remote) };
}

async function status(instance: Instance, options: Options): Promise<number> {
  const { statuses, existed } = await gather(instance, options);
  if (!existed) out(`No ${LOCK_FILE} in ${options.dir}: compared with an empty lock (run pull first).`);
  const changed = statuses.filter((s) => s.state !== "unchanged");
  for (const s of changed) out(describe(s));
  const unchanged = statuses.length - changed.length;
  if (inSync(statuses)) {
    out(`In sync: ${unchanged} file${unchanged === 1 ? "" : "s"} unchanged.`);
    return EXIT.ok;
  }
  out(`${changed.length} to sync, ${unchanged} unchanged.`);
  return EXIT.pending;
}

async function pull(instance: Instance, options: Options): Promise<number> {
  const { lock, statuses } = await gather(instance, options);
  const { steps, refused } = pullPlan(statuses, options.force);
  if (refused.length) {
    err(
      `Pull refused: ${refused.length} file${refused.length === 1 ? " has" : "s have"} local edits that are not pushed:`,
    );
    for (const r of refused) err(`  ${r.path}: ${r.reason}`);
    err("Nothing was written. Push them first, move them away, or pull --force to take the instance's files.");
    return EXIT.pending;
  }
  for (const step of steps) {
    const verb = step.op === "write" ? (step.removeFrom ? `move ${step.removeFrom} →` : "write") : "remove";
    const target = step.op === "forget" ? step.lockPath : step.path;
    out(
      `  ${options.dryRun ? "would " : ""}${verb} ${target}${step.op === "write" ? ` (v${step.entry.version})` : ""}`,
    );
    if (options.dryRun) continue;
    if (step.op === "write") {
      const abs = path.join(options.dir, step.path);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, step.text);
      if (step.removeFrom) fs.rmSync(path.join(options.dir, step.removeFrom), { force: true });
    } else if (step.op === "remove") fs.rmSync(path.join(options.dir, step.path), { force: true });
  }
  if (options.dryRun) {
    out(`Dry run: ${steps.length} change${steps.length === 1 ? "" : "s"} not made.`);
    return EXIT.ok;
  }
  saveLock(options, applyPull(lock, steps));
  const kept = statuses.filter((s) => s.state === "modified" || s.state === "new-local").length;
  out(
    `Pulled: ${steps.length} file${steps.length === 1 ? "" : "s"} changed${kept ? `; ${kept} local change${kept === 1 ? "" : "s"} kept (push them)` : ""}.`,
  );
  return EXIT.ok;
}

/** The instance's file for a prompt or snippet now (for a conflict found only when pushing). */
async function instanceFile(instance: Instance, step: PushStep): Promise<{ text: string; version: number } | null> {
  if (step.kind === "snippet") {
    const a = await instance.request("GET", `/api/v1/snippets/${encodeURIComponent(step.id)}`);
    const s = a.json as { headVersion: number; version: { template: string } } | null;
    return a.status === 200 && s ? { text: s.version.template, version: s.headVersion } : null;
  }
  const a = await instance.request("GET", `/api/v1/prompts/${encodeURIComponent(step.id)}`);
  if (a.status !== 200) return null;
  const p = a.json as {
    description: string;
    headVersion: number;
    version: Parameters<typeof toDotpromptSource>[0];
  };
  return { text: toDotpromptSource(p.version, { description: p.description }), version: p.headVersion };
}

async function push(instance: Instance, options: Options): Promise<number> {
  const { lock, local, statuses } = await gather(instance, options);
  const { steps, skipped } = pushPlan(statuses);
  let failed = 0;
  for (const s of skipped) {
    const notice = s.reason.startsWith("deleted locally");
    if (!notice) failed += 1;
    (notice ? out : err)(`  ${notice ? "skipped" : "refused"} ${s.path}: ${s.reason}`);
    if (s.conflict?.remote) err(conflictDiff(s.path, s.conflict.remote, local.texts.get(s.path) ?? ""));
  }
  const behind = statuses.filter((s) => s.state === "changed-remote" || s.state === "new-remote").length;
  if (behind) out(`  (${behind} file${behind === 1 ? "" : "s"} changed on the instance: pull to get them)`);
  if (!steps.length) {
    out(failed ? "Nothing pushed." : "Nothing to push.");
    return failed ? EXIT.pending : EXIT.ok;
  }
  if (options.dryRun) {
    for (const step of steps)
      out(
        `  would ${step.op === "version" ? `add a version to ${step.kind} "${step.id}" on top of v${step.baseVersion}` : `create ${step.kind} "${step.id}"`} from ${step.path}${options.label && step.kind === "prompt" ? `, and move label ${options.label} to it` : ""}`,
      );
    out(`Dry run: ${steps.length} file${steps.length === 1 ? "" : "s"} not pushed.`);
    return failed ? EXIT.pending : EXIT.ok;
  }
  const files = { ...lock.files };
  let pushed = 0;
  try {
    for (const step of steps) {
      const text = local.texts.get(step.path)!;
      const sha = local.shas.get(step.path)!;
      const message = options.message ?? `prompt-builder push: ${step.path}`;
      const what = step.op === "version" ? `a new version of ${step.path}` : `creating ${step.path}`;
      let answer: Answer;
      if (step.kind === "prompt" && step.op === "version") {
        const q = new URLSearchParams({ baseVersion: String(step.baseVersion), message });
        answer = await instance.request("POST", `/api/v1/prompts/${encodeURIComponent(step.id)}/versions?${q}`, {
          body: text,
          contentType: "text/x-dotprompt",
        });
      } else if (step.kind === "prompt") {
        let name = nameFromSlug(step.id);
        try {
          name = (await parseDotprompt(text)).name ?? name;
        } catch {
          // The instance reports what is wrong with the file.
        }
        const target = statuses.find((s) => s.path === step.path)!;
        const folder = path.posix.dirname(step.path) === "." ? "" : path.posix.dirname(step.path);
        const fullFolder = [lock.folder, folder].filter(Boolean).join("/");
        const q = new URLSearchParams({ name, slug: target.id, folder: fullFolder, message });
        answer = await instance.request("POST", `/api/v1/prompts?${q}`, {
          body: text,
          contentType: "text/x-dotprompt",
        });
      } else if (step.op === "version") {
        answer = await instance.request("POST", `/api/v1/snippets/${encodeURIComponent(step.id)}/versions`, {
          body: JSON.stringify({ baseVersion: step.baseVersion, template: text, message }),
          contentType: "application/json",
        });
      } else {
        answer = await instance.request("POST", `/api/v1/snippets`, {
          body: JSON.stringify({ name: step.id, template: text, message }),
          contentType: "application/json",
        });
      }
      if (answer.status === 401 || answer.status === 403 || answer.status >= 500) instance.fatal(answer, what);
      const problem = asProblem(answer.json) as (ProblemBody & { conflict?: object }) | null;
      if (answer.status === 409 && problem?.conflict) {
        failed += 1;
        err(`  refused ${step.path}: ${problem.error ?? "the instance has a newer version"} Nothing was overwritten.`);
        const now = await instanceFile(instance, step);
        if (now) err(conflictDiff(step.path, now, text));
        continue;
      }
      if (answer.status === 409 && step.op === "version") {
        // The same content as the version it is based on: nothing to add, the file is in sync.
        files[step.path] = { ...files[step.path]!, sha256: sha };
        // Unless what changed is the front matter's name or description: the prompt's, not a version's.
        const now = step.kind === "prompt" ? await instanceFile(instance, step) : null;
        const metaOnly = now !== null && now.text !== text;
        out(
          `  unchanged ${step.path}: the same as v${step.baseVersion} on the instance (lock updated)${metaOnly ? "; the front matter's name or description differs, and those belong to the prompt, not to a version: change them on the instance" : ""}`,
        );
        continue;
      }
      if (answer.status !== 201) {
        failed += 1;
        err(`  failed ${step.path}: ${instance.failure(answer, what)}`);
        continue;
      }
      // Both a prompt and a snippet answer with the version just made under `version`.
      const version = (answer.json as { version: { number: number } }).version.number;
      files[step.path] =
        step.kind === "prompt"
          ? { kind: "prompt", slug: (answer.json as { slug: string }).slug, version, sha256: sha }
          : { kind: "snippet", name: step.id, version, sha256: sha };
      pushed += 1;
      out(`  pushed ${step.path} → ${step.kind} "${step.id}" v${version}`);
      if (options.label) {
        if (step.kind === "snippet") {
          out(`    (snippets have no labels: ${options.label} not moved)`);
          continue;
        }
        const slug = (answer.json as { slug: string }).slug;
        const moved = await instance.request(
          "PUT",
          `/api/v1/prompts/${encodeURIComponent(slug)}/labels/${encodeURIComponent(options.label)}`,
          { body: JSON.stringify({ version }), contentType: "application/json" },
        );
        if (moved.status === 200) out(`    label ${options.label} → v${version}`);
        else if (moved.status === 202) {
          const cr = (moved.json as { changeRequest?: { url?: string } }).changeRequest;
          out(
            `    label ${options.label} is protected: NOT moved; a change request to move it to v${version} waits for an approver: ${options.url}${cr?.url ?? ""}`,
          );
        } else {
          failed += 1;
          err(
            `    label ${options.label} not moved: ${instance.failure(moved, `moving label ${options.label} of ${slug}`)}`,
          );
        }
      }
    }
  } finally {
    saveLock(options, { ...lock, files });
  }
  out(
    `Pushed ${pushed} of ${steps.length} file${steps.length === 1 ? "" : "s"}${failed ? `; ${failed} refused or failed` : ""}.`,
  );
  return failed ? EXIT.pending : EXIT.ok;
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(process.argv.slice(2));
  if (parsed === "help") {
    out(USAGE);
    return EXIT.ok;
  }
  const { command, options } = parsed;
  const instance = new Instance(options);
  if (command === "status") return status(instance, options);
  if (command === "pull") return pull(instance, options);
  return push(instance, options);
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof CliError) {
    err(error.message);
    process.exitCode = error.code;
  } else {
    err(`prompt-builder: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 70;
  }
}
