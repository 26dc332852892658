import type { Section } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import { SECTION_TEMPLATES } from "~/prompt/sections";
import { ExamplesEditor } from "./ExamplesEditor";
import type { SectionActions } from "./section-actions";
import { TemplateEditor } from "./TemplateEditor";

/** The card's body: the template editor (plus example pairs for an examples section) and the section's issues. */
export function SectionBody({
  section,
  index,
  id,
  label,
  bodyId,
  collapsed,
  issues,
  undeclared,
  actions,
}: {
  section: Section;
  index: number;
  id: string;
  label: string;
  bodyId: string;
  collapsed: boolean;
  issues: readonly PromptIssue[];
  undeclared: ReadonlySet<string>;
  actions: SectionActions;
}) {
  const issuesId = `sec-${id}-issues`;
  const errorLines = issues
    .filter((i) => i.severity === "error")
    .map((i) => i.line)
    .filter((l): l is number => l !== undefined);
  return (
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
  );
}
