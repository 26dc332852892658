/** Shows where an issue is: the variable's field on the Variables tab, or the line in the section's editor. */
import { useCallback, type MutableRefObject } from "react";
import type { PromptDraft } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import type { SideTab } from "./SideTabs";
import type { TemplateEditorRef } from "./TemplateEditor";

type Options = {
  draft: PromptDraft;
  editors: MutableRefObject<Map<string, TemplateEditorRef>>;
  showTab: (tab: SideTab) => void;
  /** Opens a collapsed section. */
  expand: (sectionId: string) => void;
};

/** How long the tab or the section takes to show the element to focus. */
const SHOW_MS = 30;

export function useGoToIssue({ draft, editors, showTab, expand }: Options) {
  return useCallback(
    (issue: PromptIssue) => {
      if (issue.path[0] === "values" || issue.path[0] === "variables") {
        showTab("variables");
        setTimeout(() => {
          const i = draft.variables.findIndex((v) => v.name === issue.variable);
          document.getElementById(issue.path[0] === "values" ? `var-${i}-value` : `var-${i}-name`)?.focus();
        }, SHOW_MS);
        return;
      }
      const id = issue.sectionIndex !== undefined ? draft.sections[issue.sectionIndex]?.id : undefined;
      if (!id) return;
      expand(id);
      setTimeout(() => editors.current.get(id)?.focusAt(issue.line, issue.column), SHOW_MS);
    },
    [draft, editors, showTab, expand],
  );
}
