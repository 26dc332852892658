import { memo, useRef, type DragEvent, type KeyboardEvent } from "react";
import type { Example, Section, SectionKind } from "~/prompt/draft";
import { SECTION_KINDS } from "~/prompt/kinds";
import type { PromptIssue } from "~/prompt/issues";
import { SECTION_TEMPLATES } from "~/prompt/sections";
import { KIND_LABEL } from "~/prompt/targets";
import type { CompletionData } from "./codemirror.client";
import { Icon } from "./Icon";
import { TemplateEditor, type TemplateEditorRef } from "./TemplateEditor";

export type SectionActions = {
  update(index: number, patch: Partial<Section>): void;
  move(from: number, to: number): void;
  duplicate(index: number): void;
  remove(index: number): void;
  toggleCollapsed(id: string): void;
  registerEditor(id: string, ref: TemplateEditorRef | null): void;
  getCompletions(): CompletionData;
  dragStart(index: number): void;
  dragOver(index: number, after: boolean): void;
  drop(): void;
  dragEnd(): void;
};

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

function ExamplesEditor({
  examples,
  onChange,
  sectionLabel,
}: {
  examples: Example[];
  onChange: (e: Example[]) => void;
  sectionLabel: string;
}) {
  const set = (i: number, patch: Partial<Example>) =>
    onChange(examples.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  return (
    <div className="examples-editor">
      <div className="examples-head" aria-hidden="true">
        <span>Input</span>
        <span />
        <span>Output</span>
        <span />
      </div>
      <ol className="examples-rows" aria-label={`${sectionLabel}: example pairs`}>
        {examples.map((e, i) => (
          <li key={i} className="example-row">
            <textarea
              aria-label={`Example ${i + 1} input`}
              value={e.input}
              rows={Math.min(8, Math.max(2, e.input.split("\n").length))}
              onChange={(ev) => set(i, { input: ev.target.value })}
              placeholder="What the user sends"
            />
            <span className="example-arrow" aria-hidden="true">
              →
            </span>
            <textarea
              aria-label={`Example ${i + 1} output`}
              value={e.output}
              rows={Math.min(8, Math.max(2, e.output.split("\n").length))}
              onChange={(ev) => set(i, { output: ev.target.value })}
              placeholder="The ideal answer"
            />
            <button
              type="button"
              className="icon-btn"
              aria-label={`Remove example ${i + 1}`}
              title="Remove example"
              onClick={() => onChange(examples.filter((_, j) => j !== i))}
            >
              <Icon name="x" size={14} />
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="btn btn-sm" onClick={() => onChange([...examples, { input: "", output: "" }])}>
        + Add example
      </button>
    </div>
  );
}

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
  const issuesId = `sec-${id}-issues`;
  const bodyId = `sec-${id}-body`;
  const cardRef = useRef<HTMLElement>(null);
  const errors = issues.filter((i) => i.severity === "error");
  const errorLines = errors.map((i) => i.line).filter((l): l is number => l !== undefined);

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
        className={`section-card kind-${section.kind}${section.enabled ? "" : " is-disabled"}${dragging ? " is-dragging" : ""}${errors.length ? " has-errors" : ""}`}
        aria-labelledby={headingId}
        onKeyDown={onKeyDown}
        data-section-index={index}
      >
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
          <div className="section-tools" role="group" aria-label={`Actions for ${label}`}>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Move ${label} up`}
              title="Move up (Alt+↑)"
              disabled={index === 0}
              onClick={() => actions.move(index, index - 1)}
            >
              <Icon name="up" />
            </button>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Move ${label} down`}
              title="Move down (Alt+↓)"
              disabled={index === count - 1}
              onClick={() => actions.move(index, index + 1)}
            >
              <Icon name="down" />
            </button>
            <label
              className="switch"
              title={
                section.enabled
                  ? "Included — switch off to leave it out without deleting"
                  : "Left out — switch on to include"
              }
            >
              <input
                type="checkbox"
                role="switch"
                checked={section.enabled}
                aria-label={`Include ${label}`}
                onChange={(e) => actions.update(index, { enabled: e.target.checked })}
              />
              <span aria-hidden="true" />
            </label>
            <button
              type="button"
              className="icon-btn"
              aria-label={`Duplicate ${label}`}
              title="Duplicate"
              onClick={() => actions.duplicate(index)}
            >
              <Icon name="copy" />
            </button>
            <button
              type="button"
              className="icon-btn"
              aria-label={`${collapsed ? "Expand" : "Collapse"} ${label}`}
              aria-expanded={!collapsed}
              aria-controls={bodyId}
              title={collapsed ? "Expand" : "Collapse"}
              onClick={() => actions.toggleCollapsed(id)}
            >
              <Icon name={collapsed ? "chevronRight" : "chevronDown"} />
            </button>
            <button
              type="button"
              className="icon-btn icon-danger"
              aria-label={`Remove ${label}`}
              title="Remove"
              onClick={() => actions.remove(index)}
            >
              <Icon name="trash" />
            </button>
          </div>
        </header>
        <div id={bodyId} className="section-body" hidden={collapsed}>
          {section.kind === "examples" ? (
            <>
              <TemplateEditor
                id={`tpl-${id}`}
                ref={(r) => actions.registerEditor(id, r)}
                value={section.template}
                label={`Introduction for ${label} (optional)`}
                placeholder="Optional text before the examples"
                describedBy={issues.length ? issuesId : undefined}
                onChange={(template) => actions.update(index, { template })}
                getCompletions={actions.getCompletions}
                undeclared={undeclared}
                errorLines={errorLines}
              />
              <ExamplesEditor
                examples={section.examples}
                sectionLabel={label}
                onChange={(examples) => actions.update(index, { examples })}
              />
            </>
          ) : (
            <TemplateEditor
              id={`tpl-${id}`}
              ref={(r) => actions.registerEditor(id, r)}
              value={section.template}
              label={`Template for ${label}`}
              placeholder={`${SECTION_TEMPLATES[section.kind].hint}. Type {{ for variables.`}
              describedBy={issues.length ? issuesId : undefined}
              onChange={(template) => actions.update(index, { template })}
              getCompletions={actions.getCompletions}
              undeclared={undeclared}
              errorLines={errorLines}
            />
          )}
          {issues.length ? (
            <ul id={issuesId} className="section-issues">
              {issues.map((i, n) => (
                <li key={n} className={`issue issue-${i.severity}`}>
                  <span className="issue-badge">{i.severity === "error" ? "Error" : "Warning"}</span>
                  {i.line !== undefined ? <span className="issue-line">line {i.line}</span> : null}
                  {i.partial ? <span className="issue-line">snippet {i.partial}</span> : null}
                  <span>{i.message}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </article>
    </li>
  );
}

export const SectionCard = memo(SectionCardImpl);
