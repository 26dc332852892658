import { memo, useRef, type DragEvent, type KeyboardEvent } from "react";
import type { Section } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import { KIND_LABEL } from "~/prompt/targets";
import type { SectionActions } from "./section-actions";
import { SectionBody } from "./SectionBody";
import { SectionHeader } from "./SectionHeader";

// Re-exported so the list and the actions hook keep importing the type from the card they drive.
export type { SectionActions } from "./section-actions";

type Props = {
  section: Section;
  index: number;
  count: number;
  collapsed: boolean;
  tokens: number | null;
  estimate: boolean;
  issues: readonly PromptIssue[];
  undeclared: ReadonlySet<string>;
  dropMarker: "before" | "after" | null;
  dragging: boolean;
  actions: SectionActions;
};

function SectionCardImpl({
  section,
  index,
  count,
  collapsed,
  tokens,
  estimate,
  issues,
  undeclared,
  dropMarker,
  dragging,
  actions,
}: Props) {
  const id = section.id ?? String(index);
  const label = section.title || KIND_LABEL[section.kind];
  const headingId = `sec-${id}-title`;
  const bodyId = `sec-${id}-body`;
  const cardRef = useRef<HTMLElement>(null);
  const hasErrors = issues.some((i) => i.severity === "error");

  const onKeyDown = (e: KeyboardEvent) => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowUp" && index > 0) {
      e.preventDefault();
      actions.move(index, index - 1);
    } else if (e.key === "ArrowDown" && index < count - 1) {
      e.preventDefault();
      actions.move(index, index + 1);
    }
  };

  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    const r = e.currentTarget.getBoundingClientRect();
    actions.dragOver(index, e.clientY > r.top + r.height / 2);
  };

  return (
    <li
      className={`section-item${dropMarker ? ` drop-${dropMarker}` : ""}`}
      onDragOver={onDragOver}
      onDrop={(e) => {
        e.preventDefault();
        actions.drop();
      }}
    >
      <article
        ref={cardRef}
        className={`section-card kind-${section.kind}${section.enabled ? "" : " is-disabled"}${dragging ? " is-dragging" : ""}${hasErrors ? " has-errors" : ""}`}
        aria-labelledby={headingId}
        onKeyDown={onKeyDown}
        data-section-index={index}
      >
        <SectionHeader
          section={section}
          index={index}
          count={count}
          id={id}
          label={label}
          headingId={headingId}
          bodyId={bodyId}
          collapsed={collapsed}
          tokens={tokens}
          estimate={estimate}
          cardRef={cardRef}
          actions={actions}
        />
        <SectionBody
          section={section}
          index={index}
          id={id}
          label={label}
          bodyId={bodyId}
          collapsed={collapsed}
          issues={issues}
          undeclared={undeclared}
          actions={actions}
        />
      </article>
    </li>
  );
}

export const SectionCard = memo(SectionCardImpl);
