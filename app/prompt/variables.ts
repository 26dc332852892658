/**
 * Variables: which ones the templates use (detected from the Handlebars syntax tree, through
 * included snippets), how that compares with the declared schema, and whether preview values fit
 * their declared types. Pure.
 */
import type { PromptDraft, Section, Variable, VariableType, VariableValue } from "./draft";
import type { PromptIssue } from "./issues";
import { analyzeTemplate, KNOWN_HELPERS, type TemplateAnalysis, type UsageKind } from "./template-ast";

export type Partials = Readonly<Record<string, string>>;

/** An issue at one use of a variable: its section's template (or the snippet included there), line and column. */
function issueAt(u: LocatedUsage, what: Pick<PromptIssue, "severity" | "code" | "message">): PromptIssue {
  return {
    ...what,
    path: ["sections", u.sectionIndex, "template"],
    sectionIndex: u.sectionIndex,
    line: u.line,
    column: u.column,
    variable: u.name,
    partial: u.partial,
  };
}

export type LocatedUsage = {
  name: string;
  subPath: string[];
  kind: UsageKind;
  sectionIndex: number;
  line: number;
  column: number;
  original: string;
  guarded: boolean;
  /** Set when the use is inside an included snippet. */
  partial?: string;
  enabled: boolean;
};

export type SectionAnalysis = {
  template: TemplateAnalysis;
  usages: LocatedUsage[];
  /** Errors that make this section impossible to render (syntax, unknown helper, snippets). */
  errors: PromptIssue[];
};

export type DraftAnalysis = {
  sections: SectionAnalysis[];
  /** Every use of every variable name, in section order. */
  used: Map<string, LocatedUsage[]>;
  declared: Map<string, { variable: Variable; index: number }>;
  /** Used in an enabled or disabled section, not declared. */
  undeclared: string[];
  /** Declared, used nowhere. */
  unused: string[];
  issues: PromptIssue[];
};

const TYPE_LABEL: Record<VariableType, string> = {
  string: "a string",
  text: "a long text",
  number: "a number",
  boolean: "a boolean",
  enum: "an enum",
  list: "a list",
};

/** Variable names that would be read as helper calls by dotprompt. */
export function isReservedVariableName(name: string): boolean {
  return KNOWN_HELPERS.has(name) || name === "this" || name === "else";
}

function sectionText(section: Section): string {
  return section.template;
}

/** Detects the variables of a whole draft and checks them against its declared schema. */
export function analyzeDraft(
  draft: Pick<PromptDraft, "sections" | "variables">,
  partials: Partials = {},
): DraftAnalysis {
  const issues: PromptIssue[] = [];
  const used = new Map<string, LocatedUsage[]>();
  const sections: SectionAnalysis[] = draft.sections.map((section, sectionIndex) => {
    const template = analyzeTemplate(sectionText(section));
    const usages: LocatedUsage[] = [];
    const errors: PromptIssue[] = [];
    const path = ["sections", sectionIndex, "template"];
    for (const e of template.errors) {
      errors.push({
        severity: "error",
        code: e.code ?? (e.message.startsWith("unknown") ? "unknown-helper" : "syntax"),
        message: e.message,
        path,
        sectionIndex,
        line: e.line,
        column: e.column,
      });
    }
    for (const u of template.usages) usages.push({ ...u, sectionIndex, enabled: section.enabled });
    // Follow included snippets: their variables are this section's variables.
    const visit = (
      names: TemplateAnalysis["partials"],
      chain: string[],
      at: { line: number; column: number } | null,
    ) => {
      for (const p of names) {
        const line = at?.line ?? p.line;
        const column = at?.column ?? p.column;
        const source = partials[p.name];
        if (source === undefined) {
          errors.push({
            severity: "error",
            code: "missing-partial",
            message: `snippet "${p.name}" does not exist${chain.length ? ` (included from "${chain[chain.length - 1]}")` : ""}`,
            path,
            sectionIndex,
            line,
            column,
          });
          continue;
        }
        if (chain.includes(p.name)) {
          errors.push({
            severity: "error",
            code: "partial-cycle",
            message: `snippet "${p.name}" includes itself (${[...chain, p.name].join(" → ")})`,
            path,
            sectionIndex,
            line,
            column,
          });
          continue;
        }
        const inner = analyzeTemplate(source);
        for (const e of inner.errors) {
          errors.push({
            severity: "error",
            code: e.code ?? "syntax",
            message: `${e.message} (snippet line ${e.line})`,
            path,
            sectionIndex,
            line,
            column,
            partial: p.name,
          });
        }
        for (const u of inner.usages) {
          usages.push({ ...u, sectionIndex, line, column, partial: p.name, enabled: section.enabled });
        }
        visit(inner.partials, [...chain, p.name], { line, column });
      }
    };
    visit(template.partials, [], null);
    for (const u of usages) {
      const list = used.get(u.name);
      if (list) list.push(u);
      else used.set(u.name, [u]);
    }
    // Disabled sections still show their own syntax problems, as warnings: they are not sent.
    if (!section.enabled) for (const e of errors) e.severity = "warning";
    issues.push(...errors);
    return { template, usages, errors };
  });

  const declared = new Map<string, { variable: Variable; index: number }>();
  draft.variables.forEach((variable, index) => declared.set(variable.name, { variable, index }));

  const undeclared: string[] = [];
  for (const [name, usages] of used) {
    if (declared.has(name)) continue;
    undeclared.push(name);
    for (const u of usages) {
      issues.push(
        issueAt(u, {
          severity: u.enabled ? "error" : "warning",
          code: "undeclared",
          message: `"${name}" is used but not declared — declare it in Variables so it gets a type and a value`,
        }),
      );
    }
  }

  const unused: string[] = [];
  draft.variables.forEach((v, index) => {
    if (isReservedVariableName(v.name)) {
      issues.push({
        severity: "error",
        code: "reserved-name",
        message: `"${v.name}" is a template helper or keyword; {{${v.name}}} would not read the variable — rename it`,
        path: ["variables", index, "name"],
        variable: v.name,
      });
    }
    if (!used.has(v.name)) {
      unused.push(v.name);
      issues.push({
        severity: "warning",
        code: "unused",
        message: `"${v.name}" is declared but no section uses it`,
        path: ["variables", index, "name"],
        variable: v.name,
      });
    }
    if (v.default !== undefined) {
      const problem = valueProblem(v, v.default);
      if (problem)
        issues.push({
          severity: "error",
          code: "wrong-type",
          message: `default ${problem}`,
          path: ["variables", index, "default"],
          variable: v.name,
        });
    }
    for (const u of used.get(v.name) ?? []) {
      const misuse = usageProblem(v, u);
      if (misuse) {
        issues.push(
          issueAt(u, {
            severity: misuse.severity === "error" && !u.enabled ? "warning" : misuse.severity,
            code: "type-misuse",
            message: misuse.message,
          }),
        );
      }
    }
  });

  return { sections, used, declared, undeclared, unused, issues };
}

function usageProblem(v: Variable, u: LocatedUsage): { severity: "error" | "warning"; message: string } | null {
  if (u.kind === "iterate" && v.type !== "list") {
    return {
      severity: "error",
      message: `{{#each ${u.original}}} needs a list, but "${v.name}" is ${TYPE_LABEL[v.type]}`,
    };
  }
  if (u.subPath.length > 0) {
    const field = u.subPath.join(".");
    const ok =
      (v.type === "list" || v.type === "string" || v.type === "text") &&
      (field === "length" || (v.type === "list" && /^\d+$/.test(field)));
    if (!ok)
      return {
        severity: "error",
        message: `"${u.original}": "${v.name}" is ${TYPE_LABEL[v.type]} and has no field "${field}"`,
      };
  }
  if (u.kind === "print" && v.type === "list" && u.subPath.length === 0) {
    return {
      severity: "warning",
      message: `{{${u.original}}} prints the list joined by commas; use {{#each ${v.name}}}…{{/each}} to format each item`,
    };
  }
  return null;
}

/** Why a value does not fit a variable's type, or null when it fits. */
export function valueProblem(v: Pick<Variable, "type" | "enumValues" | "name">, value: unknown): string | null {
  switch (v.type) {
    case "string":
    case "text":
      return typeof value === "string" ? null : `must be text, got ${describe(value)}`;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : `must be a number, got ${describe(value)}`;
    case "boolean":
      return typeof value === "boolean" ? null : `must be true or false, got ${describe(value)}`;
    case "enum":
      if (typeof value !== "string") return `must be one of ${v.enumValues.join(", ")}, got ${describe(value)}`;
      return v.enumValues.includes(value)
        ? null
        : `must be one of ${v.enumValues.map((e) => `"${e}"`).join(", ")}, got "${value}"`;
    case "list":
      return Array.isArray(value) && value.every((x) => typeof x === "string")
        ? null
        : `must be a list of strings, got ${describe(value)}`;
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string")
    return value === "" ? "empty text" : `text "${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  if (typeof value === "number") return Number.isFinite(value) ? `the number ${value}` : "not a number";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

function isEmpty(v: Variable, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if ((v.type === "string" || v.type === "text" || v.type === "enum") && value === "") return true;
  if (v.type === "list" && Array.isArray(value) && value.length === 0) return true;
  return false;
}

export type ResolvedValues = {
  /** Values passed to the renderer: preview value, else the default. */
  input: Record<string, VariableValue>;
  issues: PromptIssue[];
};

/**
 * Picks each declared variable's value (given value, else its default) and checks it. A required
 * variable with no value is an error at every place it is used in an enabled section, and at its
 * value field — never silently empty.
 */
export function resolveValues(analysis: DraftAnalysis, values: Readonly<Record<string, unknown>>): ResolvedValues {
  const input: Record<string, VariableValue> = {};
  const issues: PromptIssue[] = [];
  for (const [name, { variable: v }] of analysis.declared) {
    const given = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    const value = isEmpty(v, given) && v.default !== undefined ? v.default : given;
    const usages = (analysis.used.get(name) ?? []).filter((u) => u.enabled);
    if (isEmpty(v, value)) {
      if (v.required) {
        issues.push({
          severity: usages.length ? "error" : "warning",
          code: "missing-required",
          message: `"${name}" is required — enter a value`,
          path: ["values", name],
          variable: name,
        });
        for (const u of usages) {
          issues.push(
            issueAt(u, {
              severity: "error",
              code: "missing-required",
              message: `"${name}" is required but has no value`,
            }),
          );
        }
      } else {
        for (const u of usages.filter((x) => (x.kind === "print" || x.kind === "argument") && !x.guarded)) {
          issues.push(
            issueAt(u, {
              severity: "warning",
              code: "empty-optional",
              message: `"${name}" is optional and empty, so {{${u.original}}} renders as nothing — wrap it in {{#if ${name}}}…{{/if}} or give it a default`,
            }),
          );
        }
        if (v.type === "list") input[name] = [];
        if (v.type === "boolean") input[name] = false;
      }
      continue;
    }
    const problem = valueProblem(v, value);
    if (problem) {
      issues.push({
        severity: usages.length ? "error" : "warning",
        code: "wrong-type",
        message: `"${name}" ${problem}`,
        path: ["values", name],
        variable: name,
      });
      for (const u of usages) {
        issues.push(
          issueAt(u, {
            severity: "error",
            code: "wrong-type",
            message: `"${name}" ${problem}`,
          }),
        );
      }
      continue;
    }
    input[name] = value as VariableValue;
  }
  return { input, issues };
}

// Kept in its own module (no Handlebars) so pages can parse form values without the parser.
export { parseFormValue } from "./form-values";

/** Declarations for used-but-undeclared names, typed by how they are used. */
export function inferDeclarations(analysis: DraftAnalysis): Variable[] {
  return analysis.undeclared
    .filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !isReservedVariableName(name))
    .map((name) => {
      const uses = analysis.used.get(name) ?? [];
      const iterated = uses.some((u) => u.kind === "iterate");
      const onlyTested = uses.every((u) => u.kind === "condition");
      const tested = uses.some((u) => u.kind === "condition");
      const type: VariableType = iterated ? "list" : onlyTested ? "boolean" : "string";
      // A variable the template tests with {{#if}} is meant to be optional.
      return { name, type, required: !tested, enumValues: [], description: "" };
    });
}
