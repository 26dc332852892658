/**
 * A prompt's test cases, evaluation suites and label gates (issue 14). Cases hold raw form values
 * checked against the variables of the newest version; the first case is made from the saved test
 * values the first time the prompt's tests are opened (decision 118). Every multi-row write is one
 * transaction; an import writes nothing when any line has a problem.
 */
import type { Db } from "~/server/db.server";
import {
  ASSERTION_LIMITS,
  assertionFromForm,
  assertionSchema,
  readAssertions,
  type Assertion,
} from "~/prompt/assertions";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "~/prompt/errors";
import {
  caseNameSchema,
  caseValueProblems,
  casesToCsv,
  casesToJsonl,
  parseCasesCsv,
  parseCasesJsonl,
  suiteNameSchema,
  TEST_CASE_LIMITS,
  type TestCaseInput,
} from "~/prompt/test-cases";
import { DEFAULT_TEST_SET, rawTestValuesSchema, readTestValueSets, type RawTestValues } from "~/prompt/test-values";
import { parseInput } from "~/prompt/zod-issues";
import { schemaProblem } from "~/server/evals/assertions.server";
import { versionInclude, versionToDraft } from "./prompt-store.server";
import { recordAudit, type Actor } from "./audit.server";

export const DEFAULT_SUITE = "default";

function readValues(json: string): RawTestValues {
  try {
    const p = rawTestValuesSchema.safeParse(JSON.parse(json));
    return p.success ? p.data : {};
  } catch {
    return {};
  }
}

/** The variables of the prompt's newest version (none before the first save). */
export async function headVariables(db: Db, promptId: string) {
  const prompt = await db.prompt.findUnique({ where: { id: promptId }, select: { headVersion: true } });
  if (!prompt?.headVersion) return [];
  const v = await db.promptVersion.findUnique({
    where: { promptId_number: { promptId, number: prompt.headVersion } },
    include: versionInclude,
  });
  return v ? versionToDraft(v).variables : [];
}

export const FIRST_CASE = "Saved test values";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

async function savedValues(db: Db | Tx, promptId: string): Promise<RawTestValues> {
  const prompt = await db.prompt.findUnique({ where: { id: promptId }, select: { testValues: true } });
  return readTestValueSets(prompt?.testValues ?? "{}")[DEFAULT_TEST_SET] ?? {};
}

/**
 * Inside a write's transaction: creates the "default" suite, and the first case from the saved test
 * values when there are some, while the prompt has no suite yet (decision 118). Pages show both
 * before they exist (`testsOverview`); the first write makes them real, and a refused write rolls
 * them back with itself. Deleting the case later does not bring it back: a suite exists by then.
 */
export async function seedFirstSuite(tx: Tx, promptId: string) {
  if (await tx.evalSuite.findFirst({ where: { promptId }, select: { id: true } })) return;
  const saved = await savedValues(tx, promptId);
  await tx.evalSuite.create({ data: { promptId, name: DEFAULT_SUITE } });
  if (Object.keys(saved).length && !(await tx.testCase.findFirst({ where: { promptId }, select: { id: true } })))
    await tx.testCase.create({ data: { promptId, name: FIRST_CASE, position: 0, values: JSON.stringify(saved) } });
}

export async function ensureFirstSuite(db: Db, promptId: string) {
  await db.$transaction((tx) => seedFirstSuite(tx, promptId));
}

export async function listCases(db: Db, promptId: string) {
  const rows = await db.testCase.findMany({
    where: { promptId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    values: readValues(r.values),
    assertions: readAssertions(r.assertions),
  }));
}

export async function listSuites(db: Db, promptId: string) {
  const rows = await db.evalSuite.findMany({
    where: { promptId },
    orderBy: { name: "asc" },
    include: { gates: { select: { label: { select: { name: true } } } } },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    assertions: readAssertions(r.assertions),
    gatedLabels: r.gates.map((g) => g.label.name),
  }));
}

/**
 * Everything the tests page shows, with each case's problems against the newest variables. Reads
 * only: before the first write the default suite and the first case are shown with an empty id.
 */
export async function testsOverview(db: Db, promptId: string) {
  const [variables, cases, suites, labels, saved] = await Promise.all([
    headVariables(db, promptId),
    listCases(db, promptId),
    listSuites(db, promptId),
    db.label.findMany({
      where: { promptId },
      orderBy: { name: "asc" },
      select: { name: true, protected: true, gate: { select: { suite: { select: { name: true } } } } },
    }),
    savedValues(db, promptId),
  ]);
  const unseeded = suites.length === 0;
  const shownCases =
    unseeded && cases.length === 0 && Object.keys(saved).length
      ? [{ id: "", name: FIRST_CASE, values: saved, assertions: [] as Assertion[] }]
      : cases;
  return {
    variables,
    cases: shownCases.map((c) => ({ ...c, problems: caseValueProblems(variables, c.values) })),
    suites: unseeded
      ? [{ id: "", name: DEFAULT_SUITE, assertions: [] as Assertion[], gatedLabels: [] as string[] }]
      : suites,
    labels: labels.map((l) => ({ name: l.name, protected: l.protected, gate: l.gate?.suite.name ?? null })),
  };
}

/** A case of the prompt; the empty id names the first case (shown before it is stored). */
async function requireCase(db: Db | Tx, promptId: string, caseId: string) {
  const c = await db.testCase.findFirst({ where: caseId ? { id: caseId, promptId } : { promptId, name: FIRST_CASE } });
  if (!c) throw new NotFoundError("prompt", caseId, "This test case does not exist (any more).", "caseId");
  return c;
}

/** A suite of the prompt; the empty id names the default suite (shown before it is stored). */
async function requireSuite(db: Db | Tx, promptId: string, suiteId: string) {
  const s = await db.evalSuite.findFirst({
    where: suiteId ? { id: suiteId, promptId } : { promptId, name: DEFAULT_SUITE },
  });
  if (!s) throw new NotFoundError("prompt", suiteId, "This suite does not exist (any more).", "suiteId");
  return s;
}

const nameTaken = (name: string, field: string) =>
  new ConflictError("prompt", `There is already a test case called "${name}".`, field);

export async function addCase(db: Db, promptId: string, rawName: unknown, actor: Actor | null = null) {
  const name = parseInput(caseNameSchema, rawName, { path: ["name"], labels: { name: "Case name" } });
  return db.$transaction(async (tx) => {
    await seedFirstSuite(tx, promptId);
    const count = await tx.testCase.count({ where: { promptId } });
    if (count >= TEST_CASE_LIMITS.perPrompt)
      throw InvalidError.field("name", `A prompt can have at most ${TEST_CASE_LIMITS.perPrompt} test cases.`);
    if (await tx.testCase.findUnique({ where: { promptId_name: { promptId, name } } })) throw nameTaken(name, "name");
    const last = await tx.testCase.findFirst({ where: { promptId }, orderBy: { position: "desc" } });
    const created = await tx.testCase.create({ data: { promptId, name, position: (last?.position ?? -1) + 1 } });
    await recordAudit(tx, actor, { action: "testCase.create", target: { type: "testCase", id: created.id, name } });
    return created;
  });
}

export async function deleteCase(db: Db, promptId: string, caseId: string, actor: Actor | null = null) {
  await db.$transaction(async (tx) => {
    await seedFirstSuite(tx, promptId);
    const c = await requireCase(tx, promptId, caseId);
    await tx.testCase.delete({ where: { id: c.id } });
    await recordAudit(tx, actor, { action: "testCase.delete", target: { type: "testCase", id: c.id, name: c.name } });
  });
}

/**
 * Renames a case and replaces its values, or neither: values that do not fit the variables are
 * refused naming each cell, a name taken by another case is refused, and nothing is written.
 */
export async function saveCase(
  db: Db,
  promptId: string,
  caseId: string,
  input: { name: unknown; values: unknown },
  actor: Actor | null = null,
) {
  const name = parseInput(caseNameSchema, input.name, { path: ["name"], labels: { name: "Case name" } });
  const values = parseInput(rawTestValuesSchema, input.values, { path: ["values"], labels: { values: "Values" } });
  const problems = caseValueProblems(await headVariables(db, promptId), values);
  const names = Object.keys(problems);
  if (names.length)
    throw new InvalidError(
      `These values do not fit the prompt's variables: ${names.map((n) => `"${n}" ${problems[n]}`).join("; ")}.`,
      names.map((n) => ({ path: ["values", n], message: problems[n]! })),
    );
  await db.$transaction(async (tx) => {
    await seedFirstSuite(tx, promptId);
    const c = await requireCase(tx, promptId, caseId);
    const other = await tx.testCase.findUnique({ where: { promptId_name: { promptId, name } } });
    if (other && other.id !== c.id) throw nameTaken(name, "name");
    await tx.testCase.update({ where: { id: c.id }, data: { name, values: JSON.stringify(values) } });
    // Not the values: they may hold what the variables hold (the audit log keeps no variable values).
    await recordAudit(tx, actor, { action: "testCase.save", target: { type: "testCase", id: c.id, name } });
  });
}

/** Parses one assertion from a form; a JSON Schema must also compile. */
export function parseAssertionForm(get: (name: string) => string | null): Assertion {
  const a = parseInput(assertionSchema, assertionFromForm(get), { message: "This assertion is not complete." });
  if (a.kind === "json-schema") {
    const problem = schemaProblem(a.schema);
    if (problem) throw InvalidError.field("schema", `The JSON Schema ${problem}.`);
  }
  return a;
}

type Target = { caseId: string } | { suiteId: string };

/** The case or suite that holds the assertions, and its list (the first suite and case made real). */
async function assertionOwner(tx: Tx, promptId: string, target: Target) {
  await seedFirstSuite(tx, promptId);
  const row =
    "caseId" in target
      ? await requireCase(tx, promptId, target.caseId)
      : await requireSuite(tx, promptId, target.suiteId);
  return { row, list: readAssertions(row.assertions) };
}

async function storeAssertions(tx: Tx, target: Target, row: { id: string }, list: Assertion[]) {
  const data = { assertions: JSON.stringify(list) };
  if ("caseId" in target) await tx.testCase.update({ where: { id: row.id }, data });
  else await tx.evalSuite.update({ where: { id: row.id }, data });
}

const auditTarget = (target: Target, row: { id: string; name: string }) =>
  ({ type: "caseId" in target ? "testCase" : "suite", id: row.id, name: row.name }) as const;

export async function addAssertion(db: Db, promptId: string, target: Target, a: Assertion, actor: Actor | null = null) {
  await db.$transaction(async (tx) => {
    const { row, list } = await assertionOwner(tx, promptId, target);
    const max = "caseId" in target ? ASSERTION_LIMITS.perCase : ASSERTION_LIMITS.perSuite;
    if (list.length >= max) throw InvalidError.field("kind", `At most ${max} assertions here.`);
    await storeAssertions(tx, target, row, [...list, a]);
    await recordAudit(tx, actor, {
      action: "assertion.add",
      target: auditTarget(target, row),
      details: { kind: a.kind },
    });
  });
}

export async function removeAssertion(
  db: Db,
  promptId: string,
  target: Target,
  index: number,
  actor: Actor | null = null,
) {
  await db.$transaction(async (tx) => {
    const { row, list } = await assertionOwner(tx, promptId, target);
    if (!Number.isInteger(index) || index < 0 || index >= list.length)
      throw InvalidError.field("index", "That assertion does not exist (any more).");
    await storeAssertions(
      tx,
      target,
      row,
      list.filter((_, i) => i !== index),
    );
    await recordAudit(tx, actor, {
      action: "assertion.remove",
      target: auditTarget(target, row),
      details: { kind: list[index]!.kind },
    });
  });
}

export async function createSuite(db: Db, promptId: string, rawName: unknown, actor: Actor | null = null) {
  const name = parseInput(suiteNameSchema, rawName, { path: ["suiteName"], labels: { suiteName: "Suite name" } });
  return db.$transaction(async (tx) => {
    await seedFirstSuite(tx, promptId);
    if (await tx.evalSuite.findUnique({ where: { promptId_name: { promptId, name } } }))
      throw new ConflictError("prompt", `There is already a suite called "${name}".`, "suiteName");
    if ((await tx.evalSuite.count({ where: { promptId } })) > 20)
      throw InvalidError.field("suiteName", "A prompt can have at most 20 suites.");
    const suite = await tx.evalSuite.create({ data: { promptId, name } });
    await recordAudit(tx, actor, { action: "suite.create", target: { type: "suite", id: suite.id, name } });
    return suite;
  });
}

export async function deleteSuite(db: Db, promptId: string, suiteId: string, actor: Actor | null = null) {
  const suite = await requireSuite(db, promptId, suiteId);
  const gates = await db.labelGate.findMany({ where: { suiteId }, select: { label: { select: { name: true } } } });
  if (gates.length)
    throw InvalidError.field(
      "suiteId",
      `"${suite.name}" gates the label${gates.length > 1 ? "s" : ""} ${gates.map((g) => `"${g.label.name}"`).join(", ")}: remove the gate first.`,
    );
  await db.$transaction(async (tx) => {
    await tx.evalSuite.delete({ where: { id: suiteId } });
    await recordAudit(tx, actor, { action: "suite.delete", target: { type: "suite", id: suiteId, name: suite.name } });
  });
}

// ---------------------------------------------------------------------------------------------
// Import and export

export type ImportFormat = "csv" | "jsonl";

/**
 * Adds the cases of a CSV or JSONL file, replacing the values (and, from JSONL, the assertions)
 * of cases with the same name. Any problem: nothing is written, every problem is listed by line.
 */
export async function importCases(
  db: Db,
  promptId: string,
  format: ImportFormat,
  text: string,
  actor: Actor | null = null,
) {
  const variables = await headVariables(db, promptId);
  const parsed = format === "csv" ? parseCasesCsv(text, variables) : parseCasesJsonl(text, variables);
  if (!parsed.ok)
    throw new InvalidError(
      `The file was not imported (${parsed.problems.length} problem${parsed.problems.length === 1 ? "" : "s"}); nothing changed.`,
      parsed.problems.map((p) => ({ path: ["file"], message: p.line ? `line ${p.line}: ${p.message}` : p.message })),
    );
  return db.$transaction(async (tx) => {
    await seedFirstSuite(tx, promptId);
    const existing = await tx.testCase.findMany({
      where: { promptId },
      select: { id: true, name: true, position: true },
    });
    const byName = new Map(existing.map((c) => [c.name, c]));
    const added = parsed.cases.filter((c) => !byName.has(c.name)).length;
    if (existing.length + added > TEST_CASE_LIMITS.perPrompt)
      throw InvalidError.field(
        "file",
        `The prompt would have ${existing.length + added} test cases; at most ${TEST_CASE_LIMITS.perPrompt}. Nothing changed.`,
      );
    let position = existing.reduce((m, c) => Math.max(m, c.position), -1);
    for (const c of parsed.cases) {
      const found = byName.get(c.name);
      const data = {
        values: JSON.stringify(c.values),
        ...(format === "jsonl" ? { assertions: JSON.stringify(c.assertions) } : {}),
      };
      if (found) await tx.testCase.update({ where: { id: found.id }, data });
      else await tx.testCase.create({ data: { promptId, name: c.name, position: ++position, ...data } });
    }
    await recordAudit(tx, actor, {
      action: "testCase.import",
      target: { type: "prompt", id: promptId },
      details: { format, added, updated: parsed.cases.length - added },
    });
    return { added, updated: parsed.cases.length - added };
  });
}

export async function exportCases(db: Db, promptId: string, format: ImportFormat): Promise<string> {
  const [variables, cases] = await Promise.all([headVariables(db, promptId), listCases(db, promptId)]);
  const inputs: TestCaseInput[] = cases.map((c) => ({ name: c.name, values: c.values, assertions: c.assertions }));
  return format === "csv"
    ? casesToCsv(
        variables.map((v) => v.name),
        inputs,
      )
    : casesToJsonl(inputs);
}

// ---------------------------------------------------------------------------------------------
// Gates

/**
 * Requires (or, with `suiteName` null, stops requiring) that label `labelName` moves only to a
 * version that passed the suite. Same rule as moving it: a protected label is an admin's.
 */
export async function setLabelGate(
  db: Db,
  args: { promptId: string; labelName: string; suiteName: string | null; actor: Actor | null; authEnabled: boolean },
) {
  const label = await db.label.findUnique({
    where: { promptId_name: { promptId: args.promptId, name: args.labelName } },
    select: { id: true, protected: true },
  });
  if (!label) throw NotFoundError.label(args.labelName, "label");
  if (label.protected && args.authEnabled && args.actor?.role !== "admin")
    throw new ForbiddenError(`"${args.labelName}" is protected: only an admin can change its gate.`, "label");
  if (args.suiteName === null) {
    await db.$transaction(async (tx) => {
      await tx.labelGate.deleteMany({ where: { labelId: label.id } });
      await recordAudit(tx, args.actor, {
        action: "label.gate",
        target: { type: "label", id: label.id, name: args.labelName },
        details: { suite: null },
      });
    });
    return;
  }
  const suiteName = args.suiteName;
  await db.$transaction(async (tx) => {
    await seedFirstSuite(tx, args.promptId);
    const suite = await tx.evalSuite.findUnique({
      where: { promptId_name: { promptId: args.promptId, name: suiteName } },
      select: { id: true },
    });
    if (!suite) throw InvalidError.field("suite", `This prompt has no suite "${suiteName}".`);
    await tx.labelGate.upsert({
      where: { labelId: label.id },
      create: { labelId: label.id, suiteId: suite.id },
      update: { suiteId: suite.id },
    });
    await recordAudit(tx, args.actor, {
      action: "label.gate",
      target: { type: "label", id: label.id, name: args.labelName },
      details: { suite: suiteName },
    });
  });
}
