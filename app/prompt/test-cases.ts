/**
 * Test cases (issue 14): named sets of raw form values (the same shape as the saved test values,
 * app/prompt/test-values.ts), checked against the variables of the prompt's newest version, and
 * read from / written to CSV and JSONL. Pure.
 */
import { z } from "zod";
import type { Variable } from "./draft";
import { parseFormValue } from "./form-values";
import { rawTestValuesSchema, type RawTestValues } from "./test-values";
import { valueProblem } from "./variables";
import { assertionListSchema, ASSERTION_LIMITS, type Assertion } from "./assertions";

export { TEST_CASE_LIMITS } from "./assertion-kinds";
import { TEST_CASE_LIMITS } from "./assertion-kinds";

export const caseNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(80, "must be at most 80 characters")
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20), { message: "must not contain control characters" });

export const suiteNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "must use lower-case letters, digits, - and _ and start with a letter or digit");

export type TestCaseInput = { name: string; values: RawTestValues; assertions: Assertion[] };

/** Why each value does not fit its variable: variable name → problem (empty when all fit). */
export function caseValueProblems(
  variables: readonly Pick<Variable, "name" | "type" | "itemType" | "fields" | "enumValues" | "required" | "default">[],
  values: RawTestValues,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const name of Object.keys(values)) {
    if (!variables.some((v) => v.name === name)) problems[name] = "is not a variable of this prompt";
  }
  for (const v of variables) {
    const raw = values[v.name];
    if (raw === undefined || raw === "") {
      if (v.required && v.default === undefined) problems[v.name] = "is required";
      continue;
    }
    const typed = parseFormValue(v.type, raw, v.itemType);
    if (typed === undefined) continue;
    const problem = valueProblem(v, typed);
    if (problem) problems[v.name] = problem;
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180: comma, double quotes, CRLF or LF) and JSONL.

export type ImportProblem = { line: number; message: string };
export type ImportResult = { ok: true; cases: TestCaseInput[] } | { ok: false; problems: ImportProblem[] };

/** Rows of a CSV text with the line each starts on; a quote left open is a problem. */
export function parseCsv(text: string): { rows: Array<{ line: number; cells: string[] }>; problem?: ImportProblem } {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  let i = 0;
  const endRow = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === "")) rows.push({ line: rowLine, cells });
    cells = [];
    cell = "";
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === "\n") line++;
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"') {
      if (cell !== "") return { rows, problem: { line, message: "a quote may only start a cell" } };
      quoted = true;
      quoteLine = line;
    } else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += c;
    i++;
  }
  if (quoted) return { rows, problem: { line: quoteLine, message: "a quoted cell is never closed" } };
  if (cell !== "" || cells.length) endRow();
  return { rows };
}

const csvCell = (s: string) => (/[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** CSV with a `name` column and one column per variable; booleans as true/false. */
export function casesToCsv(variables: readonly string[], cases: readonly TestCaseInput[]): string {
  const names = [...variables];
  for (const c of cases) for (const k of Object.keys(c.values)) if (!names.includes(k)) names.push(k);
  const lines = [["name", ...names].map(csvCell).join(",")];
  for (const c of cases) {
    lines.push([c.name, ...names.map((n) => String(c.values[n] ?? ""))].map(csvCell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

/** One JSON object per line: {"name", "values", "assertions"}. */
export function casesToJsonl(cases: readonly TestCaseInput[]): string {
  return (
    cases.map((c) => JSON.stringify({ name: c.name, values: c.values, assertions: c.assertions })).join("\n") + "\n"
  );
}

const jsonlCaseSchema = z
  .object({
    name: caseNameSchema,
    values: rawTestValuesSchema.default({}),
    assertions: assertionListSchema(ASSERTION_LIMITS.perCase).default([]),
  })
  .strict();

const zodMessage = (e: z.ZodError) =>
  e.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");

type Vars = Parameters<typeof caseValueProblems>[0];

function checkCase(
  variables: Vars,
  c: TestCaseInput,
  line: number,
  seen: Map<string, number>,
  problems: ImportProblem[],
) {
  const before = seen.get(c.name);
  if (before !== undefined) problems.push({ line, message: `the name "${c.name}" is also on line ${before}` });
  else seen.set(c.name, line);
  for (const [name, message] of Object.entries(caseValueProblems(variables, c.values)))
    problems.push({ line, message: `"${name}" ${message}` });
}

function bounded(text: string): ImportProblem | null {
  if (new TextEncoder().encode(text).length > TEST_CASE_LIMITS.importBytes)
    return { line: 0, message: `the file is larger than ${TEST_CASE_LIMITS.importBytes / 1_000_000} MB` };
  return null;
}

export function parseCasesCsv(text: string, variables: Vars): ImportResult {
  const tooBig = bounded(text);
  if (tooBig) return { ok: false, problems: [tooBig] };
  const { rows, problem } = parseCsv(text.replace(/^\uFEFF/, ""));
  if (problem) return { ok: false, problems: [problem] };
  const [header, ...body] = rows;
  if (!header) return { ok: false, problems: [{ line: 1, message: "the file is empty" }] };
  const problems: ImportProblem[] = [];
  const columns = header.cells.map((c) => c.trim());
  if (columns[0] !== "name")
    problems.push({ line: header.line, message: 'the first column must be "name", then one column per variable' });
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup) problems.push({ line: header.line, message: `the column "${dup}" appears twice` });
  if (body.length > TEST_CASE_LIMITS.importRows)
    problems.push({ line: 0, message: `at most ${TEST_CASE_LIMITS.importRows} cases per file, got ${body.length}` });
  if (problems.length) return { ok: false, problems };
  const cases: TestCaseInput[] = [];
  const seen = new Map<string, number>();
  for (const row of body) {
    if (row.cells.length !== columns.length) {
      problems.push({ line: row.line, message: `has ${row.cells.length} cells; the header has ${columns.length}` });
      continue;
    }
    const name = caseNameSchema.safeParse(row.cells[0]);
    if (!name.success) {
      problems.push({ line: row.line, message: `name ${zodMessage(name.error)}` });
      continue;
    }
    const values: RawTestValues = {};
    columns.slice(1).forEach((col, i) => {
      const raw = row.cells[i + 1]!;
      if (raw === "") return;
      const v = variables.find((x) => x.name === col);
      values[col] = v?.type === "boolean" && (raw === "true" || raw === "false") ? raw === "true" : raw;
    });
    const parsed = rawTestValuesSchema.safeParse(values);
    if (!parsed.success) {
      problems.push({ line: row.line, message: zodMessage(parsed.error) });
      continue;
    }
    const c = { name: name.data, values: parsed.data, assertions: [] };
    checkCase(variables, c, row.line, seen, problems);
    cases.push(c);
  }
  return problems.length ? { ok: false, problems } : { ok: true, cases };
}

export function parseCasesJsonl(text: string, variables: Vars): ImportResult {
  const tooBig = bounded(text);
  if (tooBig) return { ok: false, problems: [tooBig] };
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const problems: ImportProblem[] = [];
  const cases: TestCaseInput[] = [];
  const seen = new Map<string, number>();
  const count = lines.filter((l) => l.trim() !== "").length;
  if (count === 0) return { ok: false, problems: [{ line: 1, message: "the file is empty" }] };
  if (count > TEST_CASE_LIMITS.importRows)
    return {
      ok: false,
      problems: [{ line: 0, message: `at most ${TEST_CASE_LIMITS.importRows} cases per file, got ${count}` }],
    };
  lines.forEach((l, i) => {
    const line = i + 1;
    if (l.trim() === "") return;
    let raw: unknown;
    try {
      raw = JSON.parse(l);
    } catch {
      problems.push({ line, message: "is not valid JSON" });
      return;
    }
    const parsed = jsonlCaseSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push({ line, message: zodMessage(parsed.error) });
      return;
    }
    checkCase(variables, parsed.data, line, seen, problems);
    cases.push(parsed.data);
  });
  return problems.length ? { ok: false, problems } : { ok: true, cases };
}
