/**
 * Builds, in a temporary folder, exactly what the Dockerfile's runtime stage copies — from this
 * checkout's build output and a production-only subset of node_modules (`npm ls --omit=dev`),
 * trimmed by the same scripts/docker/prune-deps.mjs the image runs — so tests can run the image's
 * commands with the rest of the tree absent. Ownership follows the image: everything root-owned
 * and read-only to the app user; data, backups and tmp owned by it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../k8s/manifests";
import { copies, parseDockerfile, stageEnv } from "./dockerfile";

export const APP_UID = 1001;
export const isRoot = () => process.getuid?.() === 0;

export type RuntimePayload = {
  root: string;
  app: string;
  data: string;
  backups: string;
  tmp: string;
  env: Record<string, string>;
  /** uid/gid for spawn: 1001 when the tests run as root, else the current (unprivileged) user. */
  user: { uid?: number; gid?: number };
  cleanup: () => void;
};

function productionPackages(): string[] {
  const result = spawnSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const paths = result.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith(path.join(ROOT, "node_modules") + path.sep));
  if (paths.length < 50) throw new Error(`npm ls --omit=dev listed only ${paths.length} packages: ${result.stderr}`);
  return paths;
}

function copyProductionNodeModules(dest: string) {
  const src = path.join(ROOT, "node_modules");
  for (const pkg of productionPackages()) {
    const rel = path.relative(src, pkg);
    fs.cpSync(pkg, path.join(dest, rel), {
      recursive: true,
      dereference: false,
      // Nested node_modules are copied as their own entries when they are production packages.
      filter: (from) => from === pkg || !path.relative(pkg, from).split(path.sep).includes("node_modules"),
    });
  }
  // npm ls does not list the lockfile; prune-deps.mjs uses it to recognise a node_modules folder.
  if (fs.existsSync(path.join(src, ".package-lock.json")))
    fs.copyFileSync(path.join(src, ".package-lock.json"), path.join(dest, ".package-lock.json"));
}

export function duBytes(dir: string): number {
  const out = execFileSync("du", ["-sb", dir], { encoding: "utf8" });
  return Number(out.split("\t")[0]);
}

export function buildRuntimePayload(): RuntimePayload {
  const { stages } = parseDockerfile();
  const runtime = stages.find((s) => s.name === "runtime")!;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pb-runtime-"));
  fs.chmodSync(root, 0o755);
  const app = path.join(root, "app");
  fs.mkdirSync(app);
  for (const copy of copies(runtime)) {
    const dest = path.resolve(app, copy.dest);
    for (const source of copy.sources) {
      if (copy.from === "prod-deps") {
        if (source !== "/app/node_modules") throw new Error(`unexpected prod-deps copy ${source}`);
        copyProductionNodeModules(dest);
        execFileSync(process.execPath, [path.join(ROOT, "scripts", "docker", "prune-deps.mjs"), dest], {
          stdio: "pipe",
        });
      } else if (copy.from === "build") {
        // The build stage is the checkout (COPY . .) plus the build's output, under /app.
        const rel = path.relative("/app", source);
        const from = path.join(ROOT, rel);
        if (!fs.existsSync(from))
          throw new Error(`the runtime stage copies ${source}, missing here: run npm run build`);
        fs.cpSync(from, dest, { recursive: true });
      } else if (copy.from === undefined) {
        const from = path.join(ROOT, source);
        if (!fs.existsSync(from))
          throw new Error(`the runtime stage copies ${source} from the context; it does not exist`);
        const target = copy.dest.endsWith("/") ? path.join(dest, path.basename(source)) : dest;
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.cpSync(from, target, { recursive: true });
      } else {
        throw new Error(`the runtime stage copies from an unknown stage ${copy.from}`);
      }
    }
  }
  const data = path.join(app, "data");
  const backups = path.join(app, "backups");
  const tmp = path.join(root, "tmp");
  for (const dir of [data, backups, tmp]) fs.mkdirSync(dir, { recursive: true });
  const user = isRoot() ? { uid: APP_UID, gid: APP_UID } : {};
  if (isRoot()) {
    execFileSync("chown", ["-R", "0:0", app]);
    execFileSync("chmod", ["-R", "go-w,a+rX", app]);
    for (const dir of [data, backups, tmp]) fs.chownSync(dir, APP_UID, APP_UID);
  }
  // The image's ENV, with paths mapped into the temporary folder.
  const env = stageEnv(runtime);
  env.DATABASE_URL = `file:${path.join(data, "app.db")}`;
  env.BACKUP_DIR = backups;
  env.HOME = tmp;
  env.TMPDIR = tmp;
  return { root, app, data, backups, tmp, env, user, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}
