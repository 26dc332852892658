/**
 * Bounds on the work one template and one set of values can cause, checked before Handlebars
 * runs: block nesting depth (Handlebars' parser and compiler grow super-linearly with it: 8,000
 * nested {{#if}} took a minute to parse), the size of render inputs, and the rendered output.
 * Pure: shared by the builder's Web Worker, the server's render pool and the pages.
 */
import type { PromptIssue } from "./issues";

/** Deepest block nesting a template may have ({{#…}}, {{^…}}, raw and partial blocks, {{else if}} chains). */
export const MAX_TEMPLATE_DEPTH = 64;
/** Largest rendered prompt, in characters (UTF-16 code units; 2 MB of ASCII), all sections together. */
export const MAX_RENDERED_CHARS = 2_000_000;
/** Most iterations of {{#each}} bodies in one render: nested loops multiply. */
export const MAX_LOOP_ITERATIONS = 200_000;
/** Most items in one list value. */
export const MAX_LIST_ITEMS = 1_000;
/** Longest single value: a string, or one item of a list. */
export const MAX_VALUE_CHARS = 100_000;
/** All values of one render together (strings and list items, in characters). */
export const MAX_VALUES_CHARS = 1_000_000;

export type DepthScan = {
  /** Deepest nesting seen (stops counting once over the limit). */
  depth: number;
  /** Where the first block deeper than the limit opens, 1-based; null when within the limit. */
  tooDeep: { line: number; column: number } | null;
};

/**
 * Block nesting depth of a Handlebars template by one linear pass over its text, following the
 * lexer's rules (escaped \{{, comments, string literals inside tags, raw blocks) without parsing.
 * Hand-written because the point is to run before the parser. Equals the depth of Handlebars'
 * AST for templates that parse (property-tested against it).
 */
export function scanTemplateDepth(source: string, limit = MAX_TEMPLATE_DEPTH): DepthScan {
  /** Open blocks; each counts 1 plus its {{else if …}} links, which nest in the AST. */
  const stack: number[] = [];
  let depth = 0;
  let max = 0;
  let segment = 0; // start of the current content run, for the backslash-escape rule
  let i = 0;
  const n = source.length;

  const open = (at: number, levels: number) => {
    depth += levels;
    if (depth > max) max = depth;
    return depth > limit ? at : -1;
  };

  /** Index just past the `}}` closing a tag whose body starts at `from`, skipping string literals and [segments]. */
  const closeOf = (from: number, braces: string): number => {
    let k = from;
    while (k < n) {
      const c = source[k];
      if (c === '"' || c === "'") {
        const end = source.indexOf(c, k + 1);
        k = end < 0 ? n : end + 1;
      } else if (c === "[") {
        const end = source.indexOf("]", k + 1);
        k = end < 0 ? n : end + 1;
      } else if (source.startsWith(braces, k)) {
        return k + braces.length;
      } else k++;
    }
    return n;
  };

  while (i < n) {
    const at = source.indexOf("{{", i);
    if (at < 0) break;
    // Content before {{ ending in one backslash escapes the tag; two backslashes are a literal one.
    let slashes = 0;
    for (let k = at - 1; k >= segment && source[k] === "\\" && slashes < 2; k--) slashes++;
    if (slashes === 1) {
      segment = at;
      i = at + 2;
      continue;
    }
    let k = at + 2;
    let deepAt = -1;
    if (source.startsWith("{{", k)) {
      // {{{{raw}}}} … {{{{/raw}}}}: one block whose content is not parsed; inner {{{{x}}}} nest.
      deepAt = open(at, 1);
      let level = 1;
      let p = closeOf(k + 2, "}}}}");
      while (level > 0 && p < n) {
        const next = source.indexOf("{{{{", p);
        if (next < 0) {
          p = n;
          break;
        }
        // The lexer's end-of-raw-block rule: {{{{/name}}}} with an ID character class.
        const close = /^\{\{\{\{\/[^\s!"#%-,./;->@[-^`{-~]+\}\}\}\}/.exec(source.slice(next, next + 200));
        if (close) {
          level--;
          p = next + close[0].length;
        } else {
          level++;
          p = next + 4;
        }
      }
      depth -= 1;
      i = segment = p;
      if (deepAt >= 0) return tooDeepAt(source, deepAt, max);
      continue;
    }
    if (source[k] === "~") k++;
    const c = source[k];
    if (c === "!") {
      const long = source.startsWith("!--", k);
      const end = long ? closeOf2(source, k + 3) : source.indexOf("}}", k);
      i = segment = end < 0 ? n : end;
      continue;
    }
    let body = k;
    if (c === "#") {
      body = k + 1;
      deepAt = open(at, 1);
      stack.push(1);
    } else if (c === "/") {
      body = k + 1;
      depth -= stack.pop() ?? 0;
    } else if (c === "^") {
      body = k + 1;
      // {{^}} alone is an else; {{^name}} opens an inverted block.
      if (!/^\s*~?\}\}/.test(source.slice(body, body + 64))) {
        deepAt = open(at, 1);
        stack.push(1);
      }
    } else {
      const m = /^\s*else/.exec(source.slice(k, k + 64));
      if (m) {
        body = k + m[0].length;
        // {{else}} switches branch; {{else if x}} nests one more block that the same {{/if}} closes.
        if (!/^\s*~?\}\}/.test(source.slice(body, body + 64)) && stack.length) {
          deepAt = open(at, 1);
          stack[stack.length - 1]! += 1;
        }
      }
    }
    if (deepAt >= 0) return tooDeepAt(source, deepAt, max);
    i = segment = closeOf(body, source[k] === "{" ? "}}}" : "}}");
  }
  return { depth: max, tooDeep: null };
}

/** Index past the `--}}` (or `--~}}`) ending a long comment. */
function closeOf2(source: string, from: number): number {
  const re = /--~?\}\}/g;
  re.lastIndex = from;
  const m = re.exec(source);
  return m ? m.index + m[0].length : -1;
}

function tooDeepAt(source: string, index: number, depth: number): DepthScan {
  let line = 1;
  let lineStart = 0;
  for (let k = source.indexOf("\n"); k >= 0 && k < index; k = source.indexOf("\n", k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { depth, tooDeep: { line, column: index - lineStart + 1 } };
}

/** The message for a template nested deeper than the limit, at the line where the too-deep block opens. */
export function templateDepthError(source: string): { message: string; line: number; column: number } | null {
  const scan = scanTemplateDepth(source);
  if (!scan.tooDeep) return null;
  return {
    message: `blocks are nested more than ${MAX_TEMPLATE_DEPTH} deep here; close some {{#…}} blocks or split the section`,
    ...scan.tooDeep,
  };
}

// --- render inputs --------------------------------------------------------------------------

const tooLong = `must be at most ${MAX_VALUE_CHARS.toLocaleString("en")} characters`;
const SHAPE = "must be text, a number, true or false, an object of those, or a list of them";
/** Longest variable name a set of values may use. */
export const MAX_VALUE_NAME_CHARS = 64;

export type ValueIssue = { path: Array<string | number>; message: string };

const isScalar = (v: unknown) =>
  typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
const isFlatObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  Object.entries(v).every(([k, x]) => k.length <= MAX_VALUE_NAME_CHARS && isScalar(x));

/**
 * Whether a value has a shape renders accept: text, a number, true/false, an object of those, or a
 * list of those and such objects (two levels at most). The API's schema says the same in zod
 * (app/prompt/bounded-values-schema.ts); this check exists so the render paths, which run in worker
 * threads, need not load zod (14 MB per thread: docs/decisions/131).
 */
export function isBoundedValueShape(v: unknown): boolean {
  return isScalar(v) || isFlatObject(v) || (Array.isArray(v) && v.every((x) => isScalar(x) || isFlatObject(x)));
}

/**
 * Where one value of an accepted shape goes over its caps (path [] or [index]) and why; empty when it
 * fits. Messages are checks on the value rather than parts of its shape, so a value over one gets
 * that message, not a shape's "Invalid input".
 */
export function valueCapIssues(v: unknown): ValueIssue[] {
  if (typeof v === "string") return v.length > MAX_VALUE_CHARS ? [{ path: [], message: tooLong }] : [];
  if (!Array.isArray(v))
    return typeof v === "object" && v !== null && valueChars(v) > MAX_VALUE_CHARS
      ? [{ path: [], message: tooLong }]
      : [];
  if (v.length > MAX_LIST_ITEMS)
    return [{ path: [], message: `must have at most ${MAX_LIST_ITEMS.toLocaleString("en")} items` }];
  return v.flatMap((x, i) => (valueChars(x) > MAX_VALUE_CHARS ? [{ path: [i], message: tooLong }] : []));
}

/** Characters of text in one value: a string, or the strings of a list or object (two levels). */
function valueChars(v: unknown, depth = 0): number {
  if (typeof v === "string") return v.length;
  if (depth > 1 || v === null || typeof v !== "object") return 0;
  let n = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) n += valueChars(x, depth + 1);
  return n;
}

/** Characters of text in a set of values (strings and list items). */
export function valuesChars(values: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const v of Object.values(values)) total += valueChars(v);
  return total;
}

/** The message when all values together are over MAX_VALUES_CHARS; null when they fit. */
export function valuesTotalMessage(values: Readonly<Record<string, unknown>>): string | null {
  const total = valuesChars(values);
  return total > MAX_VALUES_CHARS
    ? `the values add up to ${total.toLocaleString("en")} characters; at most ${MAX_VALUES_CHARS.toLocaleString("en")} are allowed`
    : null;
}

/** Issues for values of the wrong shape or over the caps, at ["values", name(, index)]; empty when all fit. */
export function renderInputIssues(values: Readonly<Record<string, unknown>>): PromptIssue[] {
  const found: ValueIssue[] = [];
  for (const [name, v] of Object.entries(values)) {
    if (name.length > MAX_VALUE_NAME_CHARS)
      found.push({
        path: [name],
        message: `is not a variable name: names are at most ${MAX_VALUE_NAME_CHARS} characters`,
      });
    else if (!isBoundedValueShape(v)) found.push({ path: [name], message: SHAPE });
    else for (const issue of valueCapIssues(v)) found.push({ path: [name, ...issue.path], message: issue.message });
  }
  const total = valuesTotalMessage(values);
  if (total) found.push({ path: [], message: total });
  return found.map((i) => ({
    severity: "error" as const,
    code: "limit" as const,
    message: i.path.length ? `"${String(i.path[0])}" ${i.message}` : i.message,
    path: ["values", ...i.path],
    ...(i.path.length ? { variable: String(i.path[0]) } : {}),
  }));
}

// --- rendered output ------------------------------------------------------------------------

/** Thrown from inside a render when it goes over a cap; the message says which. */
export class RenderLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenderLimitError";
  }
}

const mb = (chars: number) => (chars / 1_000_000).toLocaleString("en", { maximumFractionDigits: 1 });

/** "the rendered prompt is 3.2 MB, over the 2 MB limit"; `atLeast` when rendering stopped early. */
export function outputTooLargeMessage(chars: number, atLeast = false): string {
  return `the rendered prompt is ${atLeast ? "at least " : ""}${mb(chars)} MB, over the ${mb(MAX_RENDERED_CHARS)} MB limit`;
}

/**
 * What one render has produced so far, shared by all sections of a draft. {{#each}} reports every
 * iteration (see render.ts), so a loop that would build hundreds of megabytes stops at the cap
 * instead of after; each finished section is counted whole.
 */
export class RenderBudget {
  /** Characters of finished sections plus the loop output of the section being rendered. */
  chars = 0;
  iterations = 0;

  constructor(
    readonly maxChars = MAX_RENDERED_CHARS,
    readonly maxIterations = MAX_LOOP_ITERATIONS,
  ) {}

  /**
   * Runs one loop iteration and counts its output. The output includes that of loops nested in
   * it, which were counted already: those are replaced, so nothing is counted twice.
   */
  iteration(run: () => string): string {
    if (++this.iterations > this.maxIterations) {
      throw new RenderLimitError(
        `the template's {{#each}} loops run more than ${this.maxIterations.toLocaleString("en")} times in one render; shorten the lists or nest fewer loops`,
      );
    }
    const before = this.chars;
    const out = run();
    this.chars = before + out.length;
    if (this.chars > this.maxChars) throw new RenderLimitError(outputTooLargeMessage(this.chars, true));
    return out;
  }

  /** Counts a finished section (its loops were counted while it rendered); throws when over the cap. */
  section(startChars: number, text: string): void {
    this.chars = startChars + text.length;
    if (this.chars > this.maxChars) throw new RenderLimitError(outputTooLargeMessage(this.chars, true));
  }
}
