/**
 * What can be done to the sections — edit, add, remove (with undo), duplicate, move by button,
 * keyboard or drag and drop — and the drag in progress. Each move is announced to screen readers.
 * The actions object keeps its identity across renders so memoised section cards do not re-render.
 */
import { useMemo, useRef, useState, type MutableRefObject } from "react";
import type { PromptDraft, Section, SectionKind } from "~/prompt/draft";
import {
  duplicateSection,
  insertSection,
  moveSection,
  newSection,
  removeSection,
  updateSection,
} from "~/prompt/sections";
import { KIND_LABEL } from "~/prompt/targets";
import type { SectionActions } from "./SectionCard";
import type { TemplateEditorRef } from "./TemplateEditor";

/** A section being dragged, and where it would land. */
export type DragState = { from: number; over: number | null; after: boolean };

type Options = {
  draft: PromptDraft;
  setDraft: (fn: (d: PromptDraft) => PromptDraft) => void;
  /** Variables the templates use without declaring them, offered in autocompletion. */
  undeclared: readonly string[];
  partials: Record<string, string>;
  editors: MutableRefObject<Map<string, TemplateEditorRef>>;
  toggleCollapsed: (id: string) => void;
  announce: (text: string) => void;
  notify: (text: string, undo?: () => void) => void;
};

const labelOf = (s: Section | undefined) => (s ? s.title || KIND_LABEL[s.kind] : "section");

export function useSectionActions({
  draft,
  setDraft,
  undeclared,
  partials,
  editors,
  toggleCollapsed,
  announce,
  notify,
}: Options) {
  const [drag, setDrag] = useState<DragState | null>(null);
  // Read by the stable actions at call time.
  const current = {
    sections: draft.sections,
    variables: draft.variables,
    undeclared,
    announce,
    notify,
    toggleCollapsed,
  };
  const latest = useRef(current);
  latest.current = current;
  const partialNames = useMemo(() => Object.keys(partials).sort(), [partials]);

  const actions: SectionActions = useMemo(() => {
    const moved = (list: readonly Section[], from: number, to: number) =>
      latest.current.announce(`${labelOf(list[from])} moved to position ${to + 1} of ${list.length}`);
    return {
      update: (index, patch) => setDraft((d) => ({ ...d, sections: updateSection(d.sections, index, patch) })),
      move: (from, to) => {
        const list = latest.current.sections;
        if (to < 0 || to >= list.length || from === to) return;
        setDraft((d) => ({ ...d, sections: moveSection(d.sections, from, to) }));
        moved(list, from, to);
      },
      duplicate: (index) => {
        setDraft((d) => ({ ...d, sections: duplicateSection(d.sections, index) }));
        latest.current.announce(`${labelOf(latest.current.sections[index])} duplicated`);
      },
      remove: (index) => {
        const s = latest.current.sections[index];
        setDraft((d) => ({ ...d, sections: removeSection(d.sections, index) }));
        latest.current.announce(`${labelOf(s)} removed`);
        const undo = s
          ? () => {
              setDraft((d) => ({ ...d, sections: insertSection(d.sections, s, index) }));
              latest.current.announce(`${labelOf(s)} restored`);
            }
          : undefined;
        latest.current.notify(`Removed “${labelOf(s)}”`, undo);
      },
      toggleCollapsed: (id) => latest.current.toggleCollapsed(id),
      registerEditor: (id, ref) => {
        if (ref) editors.current.set(id, ref);
        else editors.current.delete(id);
      },
      getCompletions: () => ({
        variables: [
          ...latest.current.variables.map((v) => ({ name: v.name, type: v.type, description: v.description })),
          ...latest.current.undeclared.map((name) => ({ name, type: "undeclared", description: "" })),
        ],
        partials: partialNames,
      }),
      dragStart: (from) => setDrag({ from, over: null, after: false }),
      dragOver: (over, after) =>
        setDrag((d) => (d && (d.over !== over || d.after !== after) ? { ...d, over, after } : d)),
      drop: () =>
        setDrag((d) => {
          if (d && d.over !== null) {
            let to = d.after ? d.over + 1 : d.over;
            if (d.from < to) to -= 1;
            if (to !== d.from) {
              const list = latest.current.sections;
              setDraft((x) => ({ ...x, sections: moveSection(x.sections, d.from, to) }));
              moved(list, d.from, to);
            }
          }
          return null;
        }),
      dragEnd: () => setDrag(null),
    };
  }, [setDraft, partialNames, editors]);

  const addSection = (kind: SectionKind) => {
    const s = newSection(kind);
    setDraft((d) => ({ ...d, sections: insertSection(d.sections, s) }));
    announce(`${KIND_LABEL[kind]} section added at position ${draft.sections.length + 1}`);
    setTimeout(() => editors.current.get(s.id!)?.focusAt(), 60);
  };

  return { actions, drag, addSection };
}
