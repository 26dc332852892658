/**
 * The left column of the builder: the section count and problem summary, the palette that adds
 * sections, and the section cards in the order the model reads them.
 */
import { useMemo, useRef } from "react";
import type { Section, SectionKind } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import { SECTION_KINDS } from "~/prompt/kinds";
import type { TokenBudget } from "~/prompt/tokens";
import { KIND_LABEL } from "~/prompt/targets";
import { counted } from "../plural";
import { SectionCard, type SectionActions } from "./SectionCard";
import type { DragState } from "./useSectionActions";

type Props = {
  sections: readonly Section[];
  /** Problems from the latest preview; those with a section index go to its card. */
  issues: readonly PromptIssue[];
  undeclared: readonly string[];
  errorCount: number;
  warningCount: number;
  collapsed: ReadonlySet<string>;
  budget: TokenBudget | null;
  drag: DragState | null;
  actions: SectionActions;
  onAdd: (kind: SectionKind) => void;
};

const EMPTY_ISSUES: PromptIssue[] = [];

export function SectionList({
  sections,
  issues,
  undeclared,
  errorCount,
  warningCount,
  collapsed,
  budget,
  drag,
  actions,
  onAdd,
}: Props) {
  const issuesOf = useSectionIssues(issues);
  const undeclaredKey = undeclared.join(",");
  // A new set only when the names change, so memoised cards do not re-render on every preview.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const undeclaredSet = useMemo(() => new Set(undeclared), [undeclaredKey]);

  return (
    <section className="builder-sections" aria-labelledby="sections-title">
      <div className="sections-head">
        <h2 id="sections-title">
          Sections <span className="count">{sections.length}</span>
        </h2>
        <span className="muted small">
          {errorCount ? <span className="text-danger">{counted(errorCount, "error", "errors")}</span> : "No errors"}
          {warningCount ? ` · ${counted(warningCount, "warning", "warnings")}` : ""}
        </span>
      </div>
      <div className="palette" role="group" aria-label="Add a section">
        <span className="palette-label" aria-hidden="true">
          Add
        </span>
        {SECTION_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className={`palette-btn kind-${k}`}
            onClick={() => onAdd(k)}
            aria-label={`Add ${KIND_LABEL[k]} section`}
          >
            + {KIND_LABEL[k]}
          </button>
        ))}
      </div>
      {sections.length === 0 ? (
        <div className="empty-state panel">
          <p>No sections. Add a role, the task and any context from the buttons above.</p>
        </div>
      ) : null}
      <ol className="section-list" aria-label="Sections, in the order the model reads them">
        {sections.map((s, i) => (
          <SectionCard
            key={s.id}
            section={s}
            index={i}
            count={sections.length}
            collapsed={collapsed.has(s.id!)}
            tokens={budget ? (budget.sections[i]?.tokens ?? null) : null}
            estimate={budget ? !budget.exact : false}
            issues={issuesOf(s.id!, i)}
            undeclared={undeclaredSet}
            dropMarker={drag && drag.over === i && drag.from !== i ? (drag.after ? "after" : "before") : null}
            dragging={drag?.from === i}
            actions={actions}
          />
        ))}
      </ol>
    </section>
  );
}

/** Each section's issues, as the same array while they do not change, so its memoised card can skip rendering. */
function useSectionIssues(issues: readonly PromptIssue[]) {
  const cache = useRef(new Map<string, { key: string; list: PromptIssue[] }>());
  const bySection = useMemo(() => {
    const m = new Map<number, PromptIssue[]>();
    for (const i of issues) {
      if (i.sectionIndex === undefined) continue;
      const l = m.get(i.sectionIndex);
      if (l) l.push(i);
      else m.set(i.sectionIndex, [i]);
    }
    return m;
  }, [issues]);
  return (id: string, index: number): PromptIssue[] => {
    const list = bySection.get(index);
    if (!list) return EMPTY_ISSUES;
    const key = JSON.stringify(list);
    const hit = cache.current.get(id);
    if (hit && hit.key === key) return hit.list;
    cache.current.set(id, { key, list });
    return list;
  };
}
