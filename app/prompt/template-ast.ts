/**
 * Reads a dotprompt (Handlebars) template into the facts the builder needs: which variables it
 * uses and how (printed, tested, iterated), which partials it includes, which helpers it calls,
 * and where (line, column). Syntax errors come back as values with a line, never as throws.
 * Pure: no DOM, no Remix, no Prisma.
 */
import Handlebars from "handlebars/dist/cjs/handlebars.js";
import { BoundedCache } from "./bounded-cache";
import type { IssueCode } from "./issues";
import { templateDepthError } from "./template-limits";
import { CACHE_CHARS, templateAnalysisSize } from "./cache-budgets";

/** Helpers dotprompt registers, plus the ones Handlebars ships. Calling any other is an error. */
export const DOTPROMPT_HELPERS = ["json", "role", "history", "section", "media", "ifEquals", "unlessEquals"] as const;
export const HANDLEBARS_HELPERS = ["if", "unless", "each", "with", "lookup", "log"] as const;
export const KNOWN_HELPERS: ReadonlySet<string> = new Set<string>([...DOTPROMPT_HELPERS, ...HANDLEBARS_HELPERS]);
/** `@` data a template can read: loop data and the root input. */
const LOOP_DATA = new Set(["root", "index", "key", "first", "last"]);
/** The roles `{{role}}` accepts (dotprompt's, "model" being the assistant). */
export const ROLES = ["system", "user", "model"] as const;

/** A `{{section}}` name: dotprompt's marker `<<<dotprompt:section NAME>>>` ends at the first space or `>`. */
export const SECTION_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** dotprompt helpers that print a marker and ignore a block's content: `{{#role}}…{{/role}}` would drop it. */
const MARKER_HELPERS = new Set(["role", "history", "section", "media", "json"]);

/** Helpers whose first argument is tested rather than printed. */
const CONDITION_HELPERS = new Set(["if", "unless", "ifEquals", "unlessEquals"]);

export type UsageKind = "print" | "condition" | "iterate" | "with" | "argument";

export type VariableUsage = {
  /** Root variable name, e.g. `customer` for `{{customer.name}}`. */
  name: string;
  /** Path below the variable, e.g. ["name"]; empty for the variable itself. */
  subPath: string[];
  kind: UsageKind;
  line: number;
  column: number;
  /** The expression as written, e.g. "customer.name". */
  original: string;
  /** Inside an {{#if name}} (or {{#each name}}) block that tests this same variable. */
  guarded: boolean;
  /** For a Mustache-style section `{{#name}}…{{/name}}`: where the name stands in its closing tag. */
  close?: { line: number; column: number };
};

export type PartialUsage = {
  name: string;
  line: number;
  column: number;
  /** Names given as hash arguments (`{{> greeting name=username}}`): the snippet reads these, not the prompt's variables. */
  hashKeys: string[];
  /** True when a context is passed (`{{> card customer}}`): the snippet reads that object's fields. */
  hasContext: boolean;
  /** For a partial block `{{#> name}}…{{/name}}`: where the name stands in its closing tag. */
  close?: { line: number; column: number };
  /**
   * The variable the context is, when the checker can tell: `{{> card customer}}` → customer;
   * `{{> card this}}` inside `{{#each people}}` → an item of people (subPath ["0"]). Absent when the
   * context is something else (a literal, a field of a loop item, a sub-expression).
   */
  context?: ContextVariable;
};
/** A partial's context as a root variable and the path below it. */
export type ContextVariable = { name: string; subPath: string[]; original: string };
export type HelperUsage = { name: string; line: number; column: number; block: boolean };

export type TemplateError = { message: string; line: number; column: number; code?: IssueCode };

export type TemplateAnalysis = {
  usages: VariableUsage[];
  partials: PartialUsage[];
  helpers: HelperUsage[];
  /** Syntax errors and calls to unknown helpers. Empty when the template compiles. */
  errors: TemplateError[];
};

type Node = hbs.AST.Node;
type Expr = hbs.AST.Expression;

type Scope = {
  /** true while the context (`this`) is the root input object. */
  contextIsRoot: boolean;
  /** Block parameters visible here (`as |item i|`). */
  locals: Set<string>;
  /** Root variables tested by the enclosing #if / #each blocks. */
  guards: Set<string>;
  /** What `this` is, when it is a root variable (`#with customer`) or an item of one (`#each people`). */
  self?: ContextVariable;
};

function pos(node: Node | undefined): { line: number; column: number } {
  const start = node?.loc?.start;
  return { line: start?.line ?? 1, column: (start?.column ?? 0) + 1 };
}

type BlockTag = { name: string; text: string; line: number; column: number };

/**
 * The block structure of a template by a scan of its `{{…}}` tags (escapes and comments
 * skipped): the blocks left open at the end, the first `{{else}}` outside any block, the first
 * closing tag with no block, and the first closing tag that names another block. Used only to
 * explain a parse error in words, with the line where the block opens.
 */
function scanBlocks(source: string) {
  const open: BlockTag[] = [];
  const elses = new Map<BlockTag, number>();
  let strayElse: BlockTag | undefined;
  let doubleElse: { tag: BlockTag; block: BlockTag } | undefined;
  let strayClose: BlockTag | undefined;
  let mismatch: { close: BlockTag; block: BlockTag } | undefined;
  const re = /(\\)?\{\{(!--[\s\S]*?--\}\}|![\s\S]*?\}\}|~?\s*([#^/]|else\b)?\s*([^}\s~]*)[^}]*\}\})/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source))) {
    if (m[1] || m[2]!.startsWith("!")) continue;
    const before = source.slice(0, m.index);
    const line = before.split("\n").length;
    const column = m.index - before.lastIndexOf("\n");
    const tag: BlockTag = { name: m[4] ?? "", text: m[0].replace(/^\\/, ""), line, column };
    const sigil = m[3];
    if (sigil === "#" || (sigil === "^" && tag.name)) {
      if (tag.name.startsWith(">")) continue;
      open.push({ ...tag, name: tag.name.replace(/^[*>]/, "") });
    } else if (sigil === "else" || (sigil === "^" && !tag.name)) {
      const block = open[open.length - 1];
      if (!block) strayElse ??= tag;
      else if (/^\{\{~?\s*else\s*~?\}\}$/.test(tag.text) || sigil === "^") {
        const n = (elses.get(block) ?? 0) + 1;
        elses.set(block, n);
        if (n > 1) doubleElse ??= { tag, block };
      }
    } else if (sigil === "/") {
      const block = open.pop();
      if (!block) strayClose ??= tag;
      else if (block.name !== tag.name) mismatch ??= { close: tag, block };
    }
  }
  return { open, strayElse, doubleElse, strayClose, mismatch };
}

const shortTag = (t: BlockTag) => (t.text.length > 40 ? `${t.text.slice(0, 37)}…}}` : t.text);

/** Turns a Handlebars parse error into a message a person understands and a 1-based line/column. */
export function syntaxErrorFrom(err: unknown, source = ""): TemplateError {
  const e = err as {
    message?: string;
    lineNumber?: number;
    column?: number;
    hash?: { loc?: { first_line?: number; first_column?: number } };
  };
  const raw = String(e?.message ?? err);
  let line = e?.hash?.loc?.first_line ?? e?.lineNumber;
  let column = (e?.hash?.loc?.first_column ?? e?.column ?? 0) + 1;
  const m = /Parse error on line (\d+)/.exec(raw);
  if (!line && m) line = Number(m[1]);
  const scan = scanBlocks(source);
  const at = (t: BlockTag, message: string): TemplateError => ({ message, line: t.line, column: t.column });
  let message = raw;
  if (m) {
    // "Parse error on line 3:\n<excerpt>\n---^\nExpecting 'X', got 'EOF'" → one readable sentence.
    const got = /got '([A-Z_]+)'/.exec(raw)?.[1];
    const expecting = /Expecting (.*), got/.exec(raw)?.[1] ?? "";
    if (got === "EOF" && /OPEN_ENDBLOCK|INVERSE/.test(expecting)) {
      const block = scan.open[scan.open.length - 1];
      if (block)
        return at(
          block,
          `${shortTag(block)} opened on line ${block.line} is never closed — add {{/${block.name}}} where it ends`,
        );
      message = "a block is opened but never closed (missing {{/…}})";
    } else if (got === "INVERSE") {
      if (scan.strayElse)
        return at(
          scan.strayElse,
          `${shortTag(scan.strayElse)} on line ${scan.strayElse.line} is outside any block — {{else}} goes between {{#if …}} (or #unless, #each, #with) and its {{/…}}`,
        );
      if (scan.doubleElse)
        return at(
          scan.doubleElse.tag,
          `${shortTag(scan.doubleElse.block)} opened on line ${scan.doubleElse.block.line} has a second {{else}} here — a block has at most one (use {{else if …}} for more cases)`,
        );
      message = "{{else}} is not allowed here — it goes inside a {{#if}}, {{#unless}}, {{#each}} or {{#with}} block";
    } else if (got === "OPEN_ENDBLOCK" && scan.strayClose) {
      return at(scan.strayClose, `${shortTag(scan.strayClose)} closes a block that was never opened`);
    } else if (got === "EOF") message = "the template ends in the middle of a {{…}} tag";
    else if (got === "INVALID" && source.lastIndexOf("{{") > source.lastIndexOf("}}"))
      message = "a {{ tag is never closed with }}";
    else if (got === "INVALID") message = "unexpected character inside {{…}}";
    else if (/CLOSE/.test(expecting))
      message = `a {{…}} tag is not closed properly (found ${got ? (TOKEN_WORDS[got] ?? got.toLowerCase().replace(/_/g, " ")) : "something else"})`;
    else
      message = `unexpected ${got ? (TOKEN_WORDS[got] ?? got.toLowerCase().replace(/_/g, " ")) : "token"} inside {{…}}`;
  } else {
    message = raw.replace(/ - \d+:\d+$/, "");
    const d = /doesn't match (\S+)/.exec(raw);
    const b = /^(\S+) doesn't match/.exec(raw);
    if (d && b) {
      if (scan.mismatch)
        return at(
          scan.mismatch.close,
          `${shortTag(scan.mismatch.close)} closes ${shortTag(scan.mismatch.block)} opened on line ${scan.mismatch.block.line} — close it with {{/${scan.mismatch.block.name}}}`,
        );
      message = `{{/${d[1]}}} closes a {{#${b[1]}}} block`;
    }
  }
  column = Math.max(1, column);
  return { message, line: line ?? 1, column };
}

/** Handlebars' token names in words. */
const TOKEN_WORDS: Record<string, string> = {
  CLOSE: "}}",
  OPEN: "{{",
  OPEN_BLOCK: "{{#",
  OPEN_ENDBLOCK: "{{/",
  OPEN_PARTIAL: "{{>",
  OPEN_SEXPR: "(",
  CLOSE_SEXPR: ")",
  ID: "a name",
  STRING: "a quoted text",
  NUMBER: "a number",
  EQUALS: "=",
  SEP: "a . or /",
  DATA: "an @ name",
};

/** Why a call to a dotprompt helper cannot be rendered faithfully here, or null. */
function helperRefusal(name: string, node: hbs.AST.MustacheStatement | hbs.AST.SubExpression): string | null {
  const first = node.params[0];
  const literal = first?.type === "StringLiteral" ? (first as hbs.AST.StringLiteral).value : undefined;
  switch (name) {
    case "role":
      if (literal === undefined || !(ROLES as readonly string[]).includes(literal))
        return `{{role …}} takes one of "system", "user" or "model" (the assistant), written in quotes${literal !== undefined ? `; "${literal}" is not one` : ""}`;
      return node.type === "SubExpression" ? "{{role}} must stand on its own, not inside another helper" : null;
    case "history":
      return node.params.length || node.hash?.pairs.length
        ? "{{history}} takes no arguments: it inserts the prompt's messages variable"
        : null;
    case "media": {
      const keys = new Set((node.hash?.pairs ?? []).map((p) => p.key));
      if (!keys.has("url")) return '{{media}} needs url=…, e.g. {{media url=photo contentType="image/png"}}';
      const extra = [...keys].filter((k) => k !== "url" && k !== "contentType");
      return extra.length ? `{{media}} knows url= and contentType=, not ${extra.join(", ")}=` : null;
    }
    case "section":
      if (node.type === "SubExpression") return "{{section}} must stand on its own, not inside another helper";
      if (literal === undefined || node.params.length !== 1 || node.hash?.pairs.length)
        return '{{section …}} takes one name in quotes, e.g. {{section "output"}} (where Genkit puts its output instructions) or {{section "context"}} (retrieved documents)';
      return SECTION_NAME.test(literal)
        ? null
        : `{{section "${literal.length > 30 ? literal.slice(0, 30) + "…" : literal}"}}: a section name is letters, digits, _, - and . with no spaces (dotprompt's marker ends at the first space)`;
    default:
      return null;
  }
}

/** 1-based line and column of a 0-based offset, counting line breaks as Handlebars does (\r\n, \r, \n). */
function lineColumn(source: string, offset: number): { line: number; column: number } {
  const head = source.slice(0, offset);
  const breaks = head.match(/\r\n?|\n/g)?.length ?? 0;
  const lastBreak = Math.max(head.lastIndexOf("\n"), head.lastIndexOf("\r"));
  return { line: breaks + 1, column: offset - lastBreak };
}

/** Offset of a 1-based line and column (the inverse of `lineColumn`). */
export function offsetOf(source: string, line: number, column: number): number {
  const re = /\r\n?|\n/g;
  let start = 0;
  for (let l = 1; l < line; l++) {
    const m = re.exec(source);
    if (!m) return -1;
    start = m.index + m[0].length;
  }
  return start + column - 1;
}

/** `source` with the `length` characters at each offset (each once, in any order) replaced by `to`. */
export function replaceAtOffsets(
  source: string,
  offsets: Iterable<number>,
  length: number,
  to: string,
): { text: string; count: number } {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  let text = "";
  let last = 0;
  for (const offset of sorted) {
    text += source.slice(last, offset) + to;
    last = offset + length;
  }
  return { text: text + source.slice(last), count: sorted.length };
}

/** Where the name stands in a block's closing tag (`{{/name}}`), from the block's end. */
function closeTagName(source: string, b: hbs.AST.BlockStatement): { line: number; column: number } | undefined {
  const end = b.loc?.end;
  if (!end) return undefined;
  const endOffset = offsetOf(source, end.line, end.column + 1);
  const open = source.lastIndexOf("{{", endOffset - 1);
  if (open < 0) return undefined;
  const m = /^\{\{~?\s*\/\s*/.exec(source.slice(open, endOffset));
  return m ? lineColumn(source, open + m[0].length) : undefined;
}

// Keyed by source: bounded by the characters of the sources held, not only by their count.
const cache = new BoundedCache<TemplateAnalysis>(2000, CACHE_CHARS.templateAnalysis);

/** Analyses one template; results are cached by source text (templates are immutable strings). */
export function analyzeTemplate(source: string): TemplateAnalysis {
  const hit = cache.get(source);
  if (hit) return hit;
  const result = analyzeUncached(source);
  cache.set(source, result, templateAnalysisSize(source));
  return result;
}

function analyzeUncached(source: string): TemplateAnalysis {
  const out: TemplateAnalysis = { usages: [], partials: [], helpers: [], errors: [] };
  // Handlebars' parser is super-linear in nesting depth: too-deep templates never reach it.
  const deep = templateDepthError(source);
  if (deep) {
    out.errors.push({ ...deep, code: "limit" });
    return out;
  }
  const frontMatter = /^\s*---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/.exec(source);
  if (frontMatter) {
    out.errors.push({
      message:
        "front matter (--- … ---) belongs to a .prompt file, not to a section: it would be sent to the model as text. Set the model in Settings and variables in Variables, and remove these lines",
      line: source.slice(0, frontMatter[0].search(/---/)).split("\n").length,
      column: 1,
      code: "refused",
    });
  }
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (err) {
    out.errors.push(syntaxErrorFrom(err, source));
    return out;
  }

  const scopes: Scope[] = [{ contextIsRoot: true, locals: new Set(), guards: new Set() }];
  const guarded = (name: string) => scopes.some((s) => s.guards.has(name));

  const addPath = (p: hbs.AST.PathExpression, kind: UsageKind) => {
    if (p.data) {
      // @root.x reads the root input; @index, @key, @first… are loop data.
      const head = p.parts[0] ?? "";
      if (!LOOP_DATA.has(head)) {
        out.errors.push({
          message:
            head === "state" || head === "auth"
              ? `{{${p.original}}} reads Genkit's ${head === "state" ? "session state" : "auth context"}, which a prompt rendered here never has — it would always be empty. Declare a variable instead`
              : `{{${p.original}}}: "@${head}" is not something a template can read here — use @index, @key, @first, @last or @root.name`,
          ...pos(p),
          code: "refused",
        });
        return;
      }
      if (p.parts[0] === "root" && p.parts.length > 1) {
        out.usages.push({
          name: p.parts[1]!,
          subPath: p.parts.slice(2),
          kind,
          ...pos(p),
          original: p.original,
          guarded: guarded(p.parts[1]!),
        });
      }
      return;
    }
    const level = scopes.length - 1 - p.depth;
    const scope = scopes[Math.max(0, level)]!;
    const [head, ...rest] = p.parts;
    if (head === undefined) return; // {{this}} / {{.}}
    if (p.depth === 0 && scopes.some((s, i) => i <= level && s.locals.has(head)) && !/^this[./]/.test(p.original))
      return;
    if (!scope.contextIsRoot) return; // a field of the current loop item or `with` object
    out.usages.push({ name: head, subPath: rest, kind, ...pos(p), original: p.original, guarded: guarded(head) });
  };

  const visitExpr = (e: Expr | undefined, kind: UsageKind) => {
    if (!e) return;
    if (e.type === "PathExpression") addPath(e as hbs.AST.PathExpression, kind);
    else if (e.type === "SubExpression") visitCall(e as hbs.AST.SubExpression, false);
  };

  const visitHash = (h: hbs.AST.Hash | undefined) => {
    for (const pair of h?.pairs ?? []) visitExpr(pair.value, "argument");
  };

  const helperName = (p: Expr): string | null =>
    p.type === "PathExpression" &&
    !(p as hbs.AST.PathExpression).data &&
    (p as hbs.AST.PathExpression).parts.length === 1
      ? (p as hbs.AST.PathExpression).parts[0]!
      : null;

  /** A mustache or sub-expression with arguments is a helper call. */
  const visitCall = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, isStatement: boolean) => {
    const hasArgs = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    const name = helperName(node.path as Expr);
    if (hasArgs || (name !== null && KNOWN_HELPERS.has(name) && !isLocal(name))) {
      if (name === null || !KNOWN_HELPERS.has(name)) {
        out.errors.push({
          message: `unknown helper "${(node.path as hbs.AST.PathExpression).original ?? "?"}" — dotprompt knows ${[...KNOWN_HELPERS].join(", ")}`,
          ...pos(node),
        });
      } else {
        out.helpers.push({ name, ...pos(node), block: false });
        const refusal = helperRefusal(name, node);
        if (refusal) out.errors.push({ message: refusal, ...pos(node), code: "refused" });
      }
      for (const p of node.params) visitExpr(p, "argument");
      visitHash(node.hash);
      return;
    }
    if (isStatement && node.path.type === "PathExpression") addPath(node.path as hbs.AST.PathExpression, "print");
  };

  const isLocal = (name: string) => scopes.some((s) => s.locals.has(name));

  /** The root variable (and path below it) an expression reads, when the checker can tell. */
  const rootPath = (p: hbs.AST.PathExpression): ContextVariable | null => {
    if (p.data) {
      if (p.parts[0] !== "root" || p.parts.length < 2) return null;
      return { name: p.parts[1]!, subPath: p.parts.slice(2), original: p.original };
    }
    const level = scopes.length - 1 - p.depth;
    const scope = scopes[Math.max(0, level)]!;
    const [head, ...rest] = p.parts;
    if (head === undefined) return scope.self ?? null; // {{this}}
    if (isLocal(head)) return null;
    if (scope.contextIsRoot) return { name: head, subPath: rest, original: p.original };
    if (scope.self)
      return {
        name: scope.self.name,
        subPath: [...scope.self.subPath, ...p.parts],
        original: `${scope.self.original}.${p.original}`,
      };
    return null;
  };

  const visitProgram = (prog: hbs.AST.Program | undefined, scope: Scope | null) => {
    if (!prog) return;
    if (scope) scopes.push(scope);
    for (const stmt of prog.body) visitStatement(stmt);
    if (scope) scopes.pop();
  };

  const visitStatement = (stmt: hbs.AST.Statement) => {
    switch (stmt.type) {
      case "MustacheStatement":
        visitCall(stmt as hbs.AST.MustacheStatement, true);
        return;
      case "BlockStatement":
      case "DecoratorBlock": {
        const b = stmt as hbs.AST.BlockStatement;
        const name = helperName(b.path);
        const current = scopes[scopes.length - 1]!;
        const blockParams = new Set(b.program?.blockParams ?? []);
        if (name !== null && KNOWN_HELPERS.has(name) && !isLocal(name)) {
          out.helpers.push({ name, ...pos(b), block: true });
          if (MARKER_HELPERS.has(name))
            out.errors.push({
              message: `{{#${name}}} is not a block: {{${name} …}} stands alone, and the text inside {{#${name}}}…{{/${name}}} would be dropped`,
              ...pos(b),
              code: "refused",
            });
          const kind: UsageKind = CONDITION_HELPERS.has(name)
            ? "condition"
            : name === "each"
              ? "iterate"
              : name === "with"
                ? "with"
                : "argument";
          b.params.forEach((p, i) => visitExpr(p, i === 0 ? kind : "argument"));
          visitHash(b.hash);
          const changesContext = name === "each" || name === "with";
          const first = b.params[0];
          const tested =
            (name === "if" || name === "each" || name === "with") &&
            first?.type === "PathExpression" &&
            current.contextIsRoot &&
            (first as hbs.AST.PathExpression).depth === 0 &&
            !(first as hbs.AST.PathExpression).data
              ? (first as hbs.AST.PathExpression).parts[0]
              : undefined;
          const over =
            changesContext && first?.type === "PathExpression" ? rootPath(first as hbs.AST.PathExpression) : null;
          visitProgram(b.program, {
            contextIsRoot: changesContext ? false : current.contextIsRoot,
            locals: blockParams,
            guards: new Set(tested ? [tested] : []),
            self: changesContext
              ? over
                ? name === "each"
                  ? { name: over.name, subPath: [...over.subPath, "0"], original: `${over.original}[item]` }
                  : over
                : undefined
              : current.self,
          });
          visitProgram(b.inverse, null);
        } else if (b.params.length > 0 || (b.hash?.pairs.length ?? 0) > 0 || name === null) {
          out.errors.push({ message: `unknown block helper "{{#${b.path.original}}}"`, ...pos(b) });
        } else {
          // {{#name}}…{{/name}}: a Mustache-style section. It iterates lists and tests values.
          const before = out.usages.length;
          addPath(b.path, "iterate");
          const close = closeTagName(source, b);
          if (close && out.usages.length > before) out.usages[out.usages.length - 1]!.close = close;
          visitProgram(b.program, {
            contextIsRoot: false,
            locals: blockParams,
            guards: new Set([b.path.parts[0] ?? ""]),
          });
          visitProgram(b.inverse, null);
        }
        return;
      }
      case "PartialStatement":
      case "PartialBlockStatement": {
        const ps = stmt as hbs.AST.PartialStatement;
        const ctx = ps.params[0]?.type === "PathExpression" ? rootPath(ps.params[0] as hbs.AST.PathExpression) : null;
        const close =
          stmt.type === "PartialBlockStatement"
            ? closeTagName(source, stmt as unknown as hbs.AST.BlockStatement)
            : undefined;
        if (ps.name.type === "PathExpression")
          out.partials.push({
            name: (ps.name as hbs.AST.PathExpression).original,
            ...pos(ps),
            hashKeys: (ps.hash?.pairs ?? []).map((pair) => pair.key),
            hasContext: ps.params.length > 0,
            ...(ctx ? { context: ctx } : {}),
            ...(close ? { close } : {}),
          });
        else
          out.errors.push({ message: "dynamic partial names are not supported; write {{> snippet_name}}", ...pos(ps) });
        for (const p of ps.params) visitExpr(p, "argument");
        visitHash(ps.hash);
        if (stmt.type === "PartialBlockStatement") visitProgram((stmt as hbs.AST.PartialBlockStatement).program, null);
        return;
      }
      default:
        return; // content, comments
    }
  };

  visitProgram(ast, null);
  return out;
}
