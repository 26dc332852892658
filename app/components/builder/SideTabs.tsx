/** The tabs of the builder's side panel (preview, variables, model, run), with arrow-key focus between them. */
import type { ReactNode } from "react";
import { counted } from "../plural";

export const SIDE_TABS = ["preview", "variables", "model", "run"] as const;
export type SideTab = (typeof SIDE_TABS)[number];

const LABEL: Record<SideTab, string> = { preview: "Preview", variables: "Variables", model: "Model", run: "Run" };

type Props = {
  selected: SideTab;
  onSelect: (tab: SideTab) => void;
  variableCount: number;
  /** Errors to fix on each tab, shown as a red count. */
  problems: Record<SideTab, number>;
};

export function SideTabs({ selected, onSelect, variableCount, problems }: Props) {
  return (
    <div className="side-tabs" role="tablist" aria-label="Side panel">
      {SIDE_TABS.map((t) => (
        <button
          key={t}
          type="button"
          role="tab"
          id={`side-tab-${t}`}
          aria-selected={selected === t}
          aria-controls={`side-panel-${t}`}
          tabIndex={selected === t ? 0 : -1}
          className="side-tab"
          onClick={() => onSelect(t)}
          onKeyDown={(e) => {
            const i = SIDE_TABS.indexOf(t);
            const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
            if (!d) return;
            e.preventDefault();
            const next = SIDE_TABS[(i + d + SIDE_TABS.length) % SIDE_TABS.length]!;
            onSelect(next);
            document.getElementById(`side-tab-${next}`)?.focus();
          }}
        >
          {LABEL[t]}
          {t === "variables" ? <span className="count">{variableCount}</span> : null}
          {problems[t] ? (
            <span className="dot-error" aria-label={counted(problems[t], "problem", "problems")}>
              {problems[t]}
            </span>
          ) : null}
        </button>
      ))}
    </div>
  );
}

/** The panel a side tab shows; the others stay mounted but hidden, keeping their state. */
export function SideTabPanel({
  tab,
  selected,
  className,
  children,
}: {
  tab: SideTab;
  selected: SideTab;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      id={`side-panel-${tab}`}
      role="tabpanel"
      aria-labelledby={`side-tab-${tab}`}
      hidden={selected !== tab}
      className={className}
    >
      {children}
    </div>
  );
}
