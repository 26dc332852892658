/**
 * Variables: which ones the templates use (detected from the Handlebars syntax tree, through
 * included snippets), how that compares with the declared schema, and whether preview values fit
 * their declared types. Pure.
 */
import type { PromptDraft, Variable, VariableType, VariableValue } from "./draft";
import type { IssuePath, PromptIssue } from "./issues";
import {
  analyzeTemplate,
  KNOWN_HELPERS,
  type ContextVariable,
  type PartialUsage,
  type TemplateAnalysis,
  type UsageKind,
} from "./template-ast";

export type Partials = Readonly<Record<string, string>>;

/** Where a snippet's names resolve: the root input (null) or a variable passed as its context. */
type Scope = (ContextVariable & { guarded: boolean }) | null;

/**
 * The scope of an included snippet: without a context it is the includer's; with one, that
 * variable (relative to the includer's scope unless written `@root.…`); "unknown" when the context
 * is not something the checker can name.
 */
function partialScope(p: PartialUsage, outer: Scope): Scope | "unknown" {
  if (!p.hasContext) return outer;
  if (!p.context) return "unknown";
  const c = p.context;
  if (outer && !c.original.startsWith("@root"))
    return {
      name: outer.name,
      subPath: [...outer.subPath, c.name, ...c.subPath],
      original: `${outer.original}.${c.original}`,
      guarded: outer.guarded,
    };
  return { ...c, guarded: false };
}

/** An issue at one use of a variable: its section's template (or the snippet included there), line and column. */
function issueAt(u: LocatedUsage, what: Pick<PromptIssue, "severity" | "code" | "message">): PromptIssue {
  return {
    ...what,
    path: u.path ?? ["sections", u.sectionIndex, "template"],
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
  /** Where the use is when not in the section's template: an example row. */
  path?: IssuePath;
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
  object: "an object",
  messages: "a conversation history (messages)",
};

/** Variable names that would be read as helper calls by dotprompt. */
export function isReservedVariableName(name: string): boolean {
  return KNOWN_HELPERS.has(name) || name === "this" || name === "else";
}

/** Detects the variables of a whole draft and checks them against its declared schema. */
export function analyzeDraft(
  draft: Pick<PromptDraft, "sections" | "variables">,
  partials: Partials = {},
): DraftAnalysis {
  const issues: PromptIssue[] = [];
  const used = new Map<string, LocatedUsage[]>();
  const sections: SectionAnalysis[] = draft.sections.map((section, sectionIndex) => {
    const usages: LocatedUsage[] = [];
    const errors: PromptIssue[] = [];
    /** One template of the section (its body, or an example row) with the snippets it includes. */
    const analyzeOne = (source: string, path: IssuePath, label: string): TemplateAnalysis => {
      const template = analyzeTemplate(source);
      const own = path.length === 3 ? {} : { path };
      for (const e of template.errors) {
        errors.push({
          severity: "error",
          code: e.code ?? (e.message.startsWith("unknown") ? "unknown-helper" : "syntax"),
          message: label + e.message,
          path,
          sectionIndex,
          line: e.line,
          column: e.column,
        });
      }
      for (const u of template.usages) usages.push({ ...u, sectionIndex, enabled: section.enabled, ...own });
      // Follow included snippets: their variables are this section's variables.
      const visit = (
        names: TemplateAnalysis["partials"],
        chain: string[],
        at: { line: number; column: number } | null,
        outer: Scope,
      ) => {
        for (const p of names) {
          const line = at?.line ?? p.line;
          const column = at?.column ?? p.column;
          const source = partials[p.name];
          if (source === undefined) {
            errors.push({
              severity: "error",
              code: "missing-partial",
              message: `${label}snippet "${p.name}" does not exist${chain.length ? ` (included from "${chain[chain.length - 1]}")` : ""}`,
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
              message: `${label}snippet "${p.name}" includes itself (${[...chain, p.name].join(" → ")})`,
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
              message: `${label}${e.message} (snippet line ${e.line})`,
              path,
              sectionIndex,
              line,
              column,
              partial: p.name,
            });
          }
          // Names given as arguments ({{> greeting name=username}}) are the snippet's own; with a
          // context ({{> card customer}}) every other name is a field of that object, checked
          // against its declared fields. A context the checker cannot name is said, not skipped.
          const scope = partialScope(p, outer);
          if (scope === "unknown") {
            errors.push({
              severity: "warning",
              code: "unchecked-context",
              message: `${label}{{> ${p.name} …}} passes a context the checker cannot follow (only a variable, one of its fields, or {{this}} inside {{#each}}/{{#with}} over a variable), so the names in snippet "${p.name}" are not checked here — check the preview`,
              path,
              sectionIndex,
              line,
              column,
              partial: p.name,
            });
          } else {
            for (const u of inner.usages) {
              const fromRoot = u.original.startsWith("@root");
              if (p.hashKeys.includes(u.name) && !fromRoot) continue;
              const at = { sectionIndex, line, column, partial: p.name, enabled: section.enabled, ...own };
              if (scope && !fromRoot)
                usages.push({
                  ...u,
                  ...at,
                  name: scope.name,
                  subPath: [...scope.subPath, u.name, ...u.subPath],
                  original: `${scope.original}.${u.original}`,
                  guarded: u.guarded || scope.guarded,
                });
              else usages.push({ ...u, ...at });
            }
          }
          if (scope !== "unknown") visit(inner.partials, [...chain, p.name], { line, column }, scope);
        }
      };
      visit(template.partials, [], null, null);
      return template;
    };
    const template = analyzeOne(section.template, ["sections", sectionIndex, "template"], "");
    if (section.kind === "examples") {
      section.examples.forEach((example, j) => {
        for (const side of ["input", "output"] as const) {
          const label = `example ${j + 1} ${side}: `;
          const path = ["sections", sectionIndex, "examples", j, side];
          const t = analyzeOne(example[side], path, label);
          const turn = t.helpers.find((h) => h.name === "role" || h.name === "history");
          if (turn)
            errors.push({
              severity: "error",
              code: "refused",
              message: `${label}an example is one user turn and one model turn; {{${turn.name}}} cannot be used in it`,
              path,
              sectionIndex,
              line: turn.line,
              column: turn.column,
            });
        }
      });
    }
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

  // {{history}} inserts the prompt's `messages` variable: it needs one, and it is that variable's use.
  const historyVar = draft.variables.find((v) => v.type === "messages");
  let historyUsed = false;
  sections.forEach((sa, sectionIndex) => {
    for (const h of sa.template.helpers) {
      if (h.name !== "history") continue;
      historyUsed = true;
      if (!historyVar)
        issues.push({
          severity: draft.sections[sectionIndex]!.enabled ? "error" : "warning",
          code: "undeclared",
          message:
            "{{history}} inserts the conversation so far: declare a variable of type messages (a list of {role, content}) to hold it",
          path: ["sections", sectionIndex, "template"],
          sectionIndex,
          line: h.line,
          column: h.column,
        });
    }
  });

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
    if (v.type === "messages" && !historyUsed && !used.has(v.name)) {
      // Not unused: dotprompt inserts the history even without {{history}} (before the final
      // user message), so the chat targets send it — but not where the author may think.
      issues.push({
        severity: "warning",
        code: "history-unplaced",
        message: `"${v.name}" holds the conversation so far, but no section says where it goes: without {{history}} the chat targets (and Genkit reading the .prompt export) put it just before the final user message, and the text targets leave it out. Write {{history}} in the section where the conversation belongs`,
        path: ["variables", index, "name"],
        variable: v.name,
      });
    } else if (!used.has(v.name) && !(v.type === "messages" && historyUsed)) {
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
  if (u.kind === "iterate" && v.type !== "list" && v.type !== "messages" && v.type !== "object") {
    return {
      severity: "error",
      message: `{{#each ${u.original}}} needs a list (or an object), but "${v.name}" is ${TYPE_LABEL[v.type]}`,
    };
  }
  if (u.subPath.length > 0) {
    const field = u.subPath.join(".");
    const fields = v.fields ?? [];
    const ok =
      (v.type === "object" && u.subPath.length === 1 && fields.some((f) => f.name === field)) ||
      ((v.type === "list" || v.type === "messages" || v.type === "string" || v.type === "text") &&
        (field === "length" || ((v.type === "list" || v.type === "messages") && /^\d+$/.test(field)))) ||
      (v.type === "list" &&
        v.itemType === "object" &&
        u.subPath.length === 2 &&
        /^\d+$/.test(u.subPath[0]!) &&
        fields.some((f) => f.name === u.subPath[1]));
    if (!ok)
      return {
        severity: "error",
        message:
          v.type === "list" && v.itemType === "object" && /^\d+$/.test(u.subPath[0]!) && u.subPath.length > 1
            ? `"${u.original}": the items of "${v.name}" have no field "${u.subPath.slice(1).join(".")}" — their fields are ${fields.map((f) => f.name).join(", ") || "not declared yet"}`
            : v.type === "object"
              ? `"${u.original}": "${v.name}" has no field "${field}" — its fields are ${fields.map((f) => f.name).join(", ") || "not declared yet"}`
              : `"${u.original}": "${v.name}" is ${TYPE_LABEL[v.type]} and has no field "${field}"`,
      };
  }
  if (u.kind === "print" && (v.type === "list" || v.type === "object" || v.type === "messages") && !u.subPath.length) {
    return {
      severity: v.type === "list" && v.itemType !== "object" ? "warning" : "error",
      message:
        v.type === "list" && v.itemType !== "object"
          ? `{{${u.original}}} prints the list joined by commas; use {{#each ${v.name}}}…{{/each}} to format each item`
          : v.type === "messages"
            ? `{{${u.original}}} would print "[object Object]"; insert the conversation with {{history}}`
            : `{{${u.original}}} would print "[object Object]"; print its fields ({{${v.name}.field}}) or {{json ${v.name}}}`,
    };
  }
  if (v.type === "messages" && u.kind !== "condition")
    return {
      severity: "error",
      message: `"${v.name}" is the conversation history: insert it with {{history}} (dotprompt reads it from the render's messages, not from the input)`,
    };
  return null;
}

const SCALAR_CHECK: Record<string, (x: unknown) => boolean> = {
  string: (x) => typeof x === "string",
  number: (x) => typeof x === "number" && Number.isFinite(x),
  boolean: (x) => typeof x === "boolean",
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why an object does not fit the declared fields, or null. */
function objectProblem(fields: NonNullable<Variable["fields"]>, value: unknown): string | null {
  if (!isPlainObject(value)) return `must be an object, got ${describe(value)}`;
  for (const f of fields) {
    const x = value[f.name];
    if (x === undefined || x === "") {
      if (f.required) return `needs the field "${f.name}"`;
      continue;
    }
    if (!SCALAR_CHECK[f.type]!(x)) return `field "${f.name}" must be ${TYPE_LABEL[f.type]}, got ${describe(x)}`;
  }
  const extra = Object.keys(value).filter((k) => !fields.some((f) => f.name === k));
  return extra.length ? `has fields that are not declared: ${extra.join(", ")}` : null;
}

/** Why a value does not fit a variable's type, or null when it fits. */
export function valueProblem(
  v: Pick<Variable, "type" | "enumValues" | "name" | "itemType" | "fields">,
  value: unknown,
): string | null {
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
    case "list": {
      const item = v.itemType ?? "string";
      if (!Array.isArray(value)) return `must be a list, got ${describe(value)}`;
      for (let i = 0; i < value.length; i++) {
        const problem =
          item === "object"
            ? objectProblem(v.fields ?? [], value[i])
            : SCALAR_CHECK[item]!(value[i])
              ? null
              : `must be ${TYPE_LABEL[item]}, got ${describe(value[i])}`;
        if (problem) return `item ${i + 1} ${problem}`;
      }
      return null;
    }
    case "object":
      return objectProblem(v.fields ?? [], value);
    case "messages": {
      if (!Array.isArray(value)) return `must be a list of messages ({role, content}), got ${describe(value)}`;
      for (let i = 0; i < value.length; i++) {
        const m = value[i] as unknown;
        if (
          !isPlainObject(m) ||
          typeof m.content !== "string" ||
          !["user", "assistant", "system"].includes(String(m.role))
        )
          return `message ${i + 1} must be {"role": "user" | "assistant" | "system", "content": text}`;
      }
      return null;
    }
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
  if ((v.type === "list" || v.type === "messages") && Array.isArray(value) && value.length === 0) return true;
  if (v.type === "object" && isPlainObject(value) && Object.keys(value).length === 0) return true;
  return false;
}

/**
 * A value that cannot be used: one issue at its value field (an error when the template uses it, a
 * warning when nothing does) and an error at every place it is used.
 */
function valueIssues(
  name: string,
  usages: readonly LocatedUsage[],
  code: PromptIssue["code"],
  messages: { atValue: string; atUse: string },
): PromptIssue[] {
  return [
    {
      severity: usages.length ? "error" : "warning",
      code,
      message: messages.atValue,
      path: ["values", name],
      variable: name,
    },
    ...usages.map((u) => issueAt(u, { severity: "error", code, message: messages.atUse })),
  ];
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
        issues.push(
          ...valueIssues(name, usages, "missing-required", {
            atValue: `"${name}" is required — enter a value`,
            atUse: `"${name}" is required but has no value`,
          }),
        );
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
        if (v.type === "list" || v.type === "messages") input[name] = [];
        if (v.type === "boolean") input[name] = false;
      }
      continue;
    }
    const problem = valueProblem(v, value);
    if (problem) {
      const message = `"${name}" ${problem}`;
      issues.push(...valueIssues(name, usages, "wrong-type", { atValue: message, atUse: message }));
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
