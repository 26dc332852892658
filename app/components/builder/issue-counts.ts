/** The counts the builder shows next to its sections and side tabs. */
import { groupIssues, type PromptIssue } from "~/prompt/issues";

/** Errors, each problem once however many places it occurs (issue 9: 3 missing values are 3 problems). */
export const errorCount = (list: readonly PromptIssue[]) =>
  groupIssues(list.filter((i) => i.severity === "error")).length;

export const warningCount = (list: readonly PromptIssue[]) => list.filter((i) => i.severity === "warning").length;

/** Errors the Variables tab is where to fix: an undeclared name, a variable's definition or its value. */
export const variableErrorCount = (list: readonly PromptIssue[]) =>
  errorCount(list.filter((i) => i.code === "undeclared" || i.path[0] === "variables" || i.path[0] === "values"));
