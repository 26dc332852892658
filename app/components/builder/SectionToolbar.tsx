import type { Section } from "~/prompt/draft";
import { Icon } from "./Icon";
import type { SectionActions } from "./section-actions";

/** What the toolbar acts on and says: the section, its place among `count`, its ids and label. */
export type SectionToolbarProps = {
  section: Section;
  index: number;
  count: number;
  id: string;
  label: string;
  bodyId: string;
  collapsed: boolean;
  actions: SectionActions;
};

/** The card's buttons: move up/down, include switch, duplicate, collapse, remove. */
export function SectionToolbar({ section, index, count, id, label, bodyId, collapsed, actions }: SectionToolbarProps) {
  return (
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
          section.enabled ? "Included — switch off to leave it out without deleting" : "Left out — switch on to include"
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
  );
}
