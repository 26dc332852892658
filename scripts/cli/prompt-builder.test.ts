/**
 * docs/git-sync.md's GitHub Actions example is a valid workflow (the same validator as the
 * project's own workflows) that runs the client's push, and the options the docs name are the ones
 * the client parses.
 */
import fs from "node:fs";
import path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import YAML from "yaml";

const root = path.join(import.meta.dirname, "..", "..");
const doc = fs.readFileSync(path.join(root, "docs", "git-sync.md"), "utf8");
const client = fs.readFileSync(path.join(import.meta.dirname, "prompt-builder.ts"), "utf8");

describe("docs/git-sync.md", () => {
  it("has a GitHub Actions example that validates and pushes with a label and the token from a secret", () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    expect(validateWorkflow(block!).errors).toEqual([]);
    const wf = YAML.parse(block!) as { jobs: Record<string, { steps: Array<{ run?: string; env?: object }> }> };
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const push = steps.find((s) => s.run?.includes("prompt-builder.js push"));
    expect(push?.run).toContain("--label staging");
    expect(push?.env).toMatchObject({ PROMPT_BUILDER_TOKEN: "${{ secrets.PROMPT_BUILDER_TOKEN }}" });
  });

  it("names only options the client parses, and every one of them", () => {
    const documented = new Set([...doc.matchAll(/`--([a-z-]+)/g)].map((m) => m[1]!));
    const parsed = new Set(
      [
        ...client
          .slice(client.indexOf("options: {"), client.indexOf("},\n    });"))
          .matchAll(/^\s+"?([a-z-]+)"?: \{ type/gm),
      ].map((m) => m[1]!),
    );
    expect(parsed.size).toBeGreaterThan(8);
    documented.delete("ignore-scripts"); // npx's own option
    expect([...documented].filter((o) => !parsed.has(o))).toEqual([]);
    expect([...parsed].filter((o) => !documented.has(o) && o !== "help")).toEqual([]);
  });
});
