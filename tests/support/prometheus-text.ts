/**
 * A parser for the Prometheus text exposition format (version 0.0.4), enough to assert on what a
 * scrape returns: HELP/TYPE metadata and samples with labels and values.
 */
export type Sample = { name: string; labels: Record<string, string>; value: number };
export type Exposition = { types: Map<string, string>; help: Map<string, string>; samples: Sample[] };

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

function parseValue(raw: string): number {
  if (raw === "+Inf") return Infinity;
  if (raw === "-Inf") return -Infinity;
  if (raw === "NaN") return NaN;
  const n = Number(raw);
  if (Number.isNaN(n)) throw new Error(`bad sample value ${raw}`);
  return n;
}

export function parseExposition(text: string): Exposition {
  const out: Exposition = { types: new Map(), help: new Map(), samples: [] };
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    if (line.startsWith("# TYPE ")) {
      const [name, type] = line.slice(7).split(" ");
      out.types.set(name!, type!);
      return;
    }
    if (line.startsWith("# HELP ")) {
      const rest = line.slice(7);
      const at = rest.indexOf(" ");
      out.help.set(rest.slice(0, at), rest.slice(at + 1));
      return;
    }
    if (line.startsWith("#")) return;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not a valid sample: ${line}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      LABEL.lastIndex = 0;
      let consumed = 0;
      let lm: RegExpExecArray | null;
      while ((lm = LABEL.exec(m[2]))) {
        labels[lm[1]!] = lm[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
        consumed = LABEL.lastIndex;
      }
      if (consumed !== m[2].length) throw new Error(`line ${i + 1} has malformed labels: ${line}`);
    }
    out.samples.push({ name: m[1]!, labels, value: parseValue(m[3]!) });
  });
  return out;
}

export function samplesOf(exp: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exp.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}
