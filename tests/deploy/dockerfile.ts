/** A small Dockerfile reader for the container tests: stages, instructions, COPY sources, ENV. */
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../k8s/manifests";

export type Instruction = { keyword: string; args: string; line: number };
export type Stage = { name: string; from: string; instructions: Instruction[] };

export const DOCKERFILE = path.join(ROOT, "Dockerfile");

export function parseDockerfile(text: string = fs.readFileSync(DOCKERFILE, "utf8")) {
  const instructions: Instruction[] = [];
  let buffer = "";
  let start = 0;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (!buffer && (line === "" || line.startsWith("#"))) return;
    if (buffer && line.startsWith("#")) return;
    if (!buffer) start = index + 1;
    if (line.endsWith("\\")) {
      buffer += `${line.slice(0, -1)} `;
      return;
    }
    buffer += line;
    const m = /^(\S+)\s*(.*)$/s.exec(buffer)!;
    instructions.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.replace(/\s+/g, " ").trim(), line: start });
    buffer = "";
  });
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      const [image, as, name] = ins.args.split(" ");
      const resolved = image!.replace(/\$\{(\w+)\}/g, (_, v: string) => globalArgs[v] ?? "");
      stages.push({
        name: as?.toUpperCase() === "AS" ? name! : String(stages.length),
        from: resolved,
        instructions: [],
      });
    } else if (stages.length === 0 && ins.keyword === "ARG") {
      const [k, v] = ins.args.split("=");
      globalArgs[k!] = v ?? "";
    } else stages.at(-1)?.instructions.push(ins);
  }
  return { instructions, stages, globalArgs };
}

export type CopySpec = { from?: string; sources: string[]; dest: string };

export function copies(stage: Stage): CopySpec[] {
  return stage.instructions
    .filter((i) => i.keyword === "COPY")
    .map((i) => {
      const parts = i.args.split(" ");
      let from: string | undefined;
      while (parts[0]?.startsWith("--")) {
        const flag = parts.shift()!;
        if (flag.startsWith("--from=")) from = flag.slice("--from=".length);
      }
      const dest = parts.pop()!;
      return { from, sources: parts, dest };
    });
}

/** ENV key=value pairs of a stage, in order. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.instructions.filter((x) => x.keyword === "ENV")) {
    for (const pair of i.args.split(" ")) {
      const eq = pair.indexOf("=");
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string"))
    throw new Error(`not an exec-form array: ${args}`);
  return parsed as string[];
}
