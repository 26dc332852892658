import type { RefObject } from "react";
import type { SectionKind } from "~/prompt/draft";
import { SECTION_KINDS } from "~/prompt/kinds";
import { KIND_LABEL } from "~/prompt/targets";
import { Icon } from "./Icon";
import { SectionToolbar, type SectionToolbarProps } from "./SectionToolbar";

/** The card's head: drag handle, hidden heading, kind, title, token count and the toolbar. */
export function SectionHeader({
  section,
  index,
  count,
  id,
  label,
  headingId,
  bodyId,
  collapsed,
  tokens,
  estimate,
  cardRef,
  actions,
}: SectionToolbarProps & {
  headingId: string;
  tokens: number | null;
  estimate: boolean;
  cardRef: RefObject<HTMLElement>;
}) {
  return (
    <header className="section-head">
      <button
        type="button"
        className="drag-handle"
        draggable
        aria-label={`Reorder ${label}: drag, or use Alt+Arrow Up/Down`}
        title="Drag to reorder (Alt+↑/↓)"
        onDragStart={(e) => {
          e.dataTransfer.effectAllowed = "move";
          e.dataTransfer.setData("text/plain", String(index));
          if (cardRef.current) e.dataTransfer.setDragImage(cardRef.current, 20, 20);
          actions.dragStart(index);
        }}
        onDragEnd={() => actions.dragEnd()}
      >
        <Icon name="grip" />
      </button>
      <h3 id={headingId} className="sr-only">
        Section {index + 1}: {label}
        {section.enabled ? "" : " (off)"}
      </h3>
      <select
        className="kind-select"
        aria-label={`Kind of section ${index + 1}`}
        value={section.kind}
        onChange={(e) => {
          const kind = e.target.value as SectionKind;
          actions.update(index, {
            kind,
            examples:
              kind === "examples" && section.examples.length === 0 ? [{ input: "", output: "" }] : section.examples,
          });
        }}
      >
        {SECTION_KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABEL[k]}
          </option>
        ))}
      </select>
      <input
        className="section-title"
        type="text"
        aria-label={`Title of section ${index + 1}`}
        value={section.title}
        placeholder={KIND_LABEL[section.kind]}
        maxLength={200}
        onChange={(e) => actions.update(index, { title: e.target.value })}
      />
      <span className="section-tokens" title={estimate ? "Estimated tokens" : "Tokens"}>
        {tokens === null ? "" : `${estimate ? "≈" : ""}${tokens.toLocaleString("en")} tok`}
      </span>
      <SectionToolbar
        section={section}
        index={index}
        count={count}
        id={id}
        label={label}
        bodyId={bodyId}
        collapsed={collapsed}
        actions={actions}
      />
    </header>
  );
}
