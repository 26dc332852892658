/**
 * Problems found in a prompt, as values: a message, the field they belong to and, for template
 * problems, the section and line. Errors stop the rendered output; warnings are shown beside it.
 */
export type IssueCode =
  | "syntax"
  | "unknown-helper"
  | "undeclared"
  | "unused"
  /** A messages variable with no {{history}}: dotprompt places it by its own rule. */
  | "history-unplaced"
  | "missing-required"
  | "wrong-type"
  | "type-misuse"
  | "empty-optional"
  | "missing-partial"
  | "partial-cycle"
  /** A snippet included with a context the checker cannot follow: its names are not checked. */
  | "unchecked-context"
  | "reserved-name"
  | "setting"
  | "budget"
  | "render"
  | "limit"
  /** A construct the app cannot render faithfully (front matter, @state, {{#role}} blocks…): refused, never dropped. */
  | "refused"
  /** A target for another vendor than the prompt's model. */
  | "provider";

export type IssuePath = Array<string | number>;

export type PromptIssue = {
  severity: "error" | "warning";
  code: IssueCode;
  /** What is wrong and, where it helps, what to do; without the location. */
  message: string;
  /** Field the issue belongs to, e.g. ["sections", 2, "template"], ["values", "topic"]. */
  path: IssuePath;
  /** Index of the section in the draft, for template issues. */
  sectionIndex?: number;
  /** 1-based line and column in the section template (the line that includes a snippet when the problem is inside it). */
  line?: number;
  column?: number;
  variable?: string;
  /** Name of the included snippet the problem is in. */
  partial?: string;
};

export function hasErrors(issues: readonly PromptIssue[]): boolean {
  return issues.some((i) => i.severity === "error");
}

/** "Task (section 2), line 3" — the place an issue points at, for messages and the UI. */
export function issueLocation(issue: PromptIssue, sections: ReadonlyArray<{ title: string; kind: string }>): string {
  if (issue.sectionIndex === undefined) return "";
  const s = sections[issue.sectionIndex];
  const name = s ? s.title || s.kind : "section";
  let where = `${name} (section ${issue.sectionIndex + 1})`;
  if (issue.line !== undefined) where += `, line ${issue.line}`;
  if (issue.partial) where += ` in snippet "${issue.partial}"`;
  return where;
}

/** The issue as one sentence with its location, e.g. for a copy of all problems. */
export function formatIssue(issue: PromptIssue, sections: ReadonlyArray<{ title: string; kind: string }>): string {
  const where = issueLocation(issue, sections);
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** One problem and every place it occurs (a missing value is one problem however often it is used). */
export type IssueGroup = { issue: PromptIssue; places: PromptIssue[] };

/**
 * Problems counted once: issues about the same variable with the same code and severity are one
 * problem, led by the issue at the variable's value or declaration when there is one; any other
 * issue is its own problem. Order is kept (by each problem's first place).
 */
export function groupIssues(issues: readonly PromptIssue[]): IssueGroup[] {
  const groups: IssueGroup[] = [];
  const byKey = new Map<string, IssueGroup>();
  for (const issue of issues) {
    const key =
      issue.variable !== undefined
        ? `${issue.severity}|${issue.code}|${issue.variable}`
        : `${issue.severity}|${issue.code}|${issue.path.join(".")}|${issue.line ?? ""}|${issue.partial ?? ""}|${issue.message}`;
    const group = byKey.get(key);
    if (!group) {
      const g = { issue, places: [issue] };
      byKey.set(key, g);
      groups.push(g);
      continue;
    }
    group.places.push(issue);
    const lead = (i: PromptIssue) => i.path[0] === "values" || i.path[0] === "variables";
    if (lead(issue) && !lead(group.issue)) group.issue = issue;
  }
  return groups;
}

/** A group as one issue for the API: the lead's path and message, and where else it occurs. */
export function groupAsIssue(
  group: IssueGroup,
  sections: ReadonlyArray<{ title: string; kind: string }>,
): { path: Array<string | number>; message: string } {
  const where = [...new Set(group.places.map((p) => issueLocation(p, sections)).filter((w) => w !== ""))];
  return {
    path: group.issue.path,
    message: where.length ? `${group.issue.message} (at ${where.join("; ")})` : group.issue.message,
  };
}
