/** k8s/dist must be what `npm run k8s:synth` produces from the defaults: regenerate and commit. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { synthesize } from "../../k8s/synth";
import { DIST } from "./manifests";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-synth-"));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe("k8s/dist", () => {
  it("is up to date with k8s/*.ts (run `npm run k8s:synth` and commit k8s/dist)", () => {
    synthesize(out);
    const fresh = fs.readdirSync(out).sort();
    expect(
      fs
        .readdirSync(DIST)
        .filter((f) => f.endsWith(".k8s.yaml"))
        .sort(),
    ).toEqual(fresh);
    for (const file of fresh) {
      expect(fs.readFileSync(path.join(DIST, file), "utf8"), `${file} is stale`).toBe(
        fs.readFileSync(path.join(out, file), "utf8"),
      );
    }
  });
});
