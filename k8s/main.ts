/**
 * `npm run k8s:synth`: writes k8s/dist/{single,scaled}{,-storage,-monitoring}.k8s.yaml. Overrides come from
 * K8S_* environment variables (see k8s/config.ts); the committed files use the defaults, and
 * tests/k8s/synth-drift.test.ts fails when they are out of date.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { configInputFromEnv } from "./config";
import { synthesize } from "./synth";

const outdir = process.env.K8S_OUTDIR || path.join(path.dirname(fileURLToPath(import.meta.url)), "dist");
try {
  fs.rmSync(outdir, { recursive: true, force: true });
  synthesize(outdir, configInputFromEnv(process.env));
  for (const f of fs.readdirSync(outdir).sort())
    process.stdout.write(`wrote ${path.join(path.relative(process.cwd(), outdir) || ".", f)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
