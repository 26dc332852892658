import { Form, Link } from "@remix-run/react";
import { ChangeRequestList, type ChangeRequestRow } from "~/components/admin/ChangeRequestList";
import { issueFor } from "~/components/issue-for";
import { ProblemField } from "~/components/ProblemField";
import { STANDARD_LABELS } from "~/library/constants";
import type { LabelEventView } from "~/models/history.server";
import type { PromptSummary } from "~/models/prompt-summary.server";
import type { Problem } from "~/prompt/problem";
import { AbsoluteDate } from "./AbsoluteDate";
import { IntentButton } from "./IntentButton";

/** Point a label (a standard one or a new name) at a version; its errors sit beside the fields. */
function MoveLabelForm({
  prompt,
  problem,
  canMoveProtected,
}: {
  prompt: PromptSummary;
  problem: Problem | undefined;
  canMoveProtected: boolean;
}) {
  const labelNames = [...new Set([...STANDARD_LABELS, ...prompt.labels.map((l) => l.name)])];
  return (
    <Form method="post" className="form-grid" aria-labelledby="move-label-title">
      <h3 id="move-label-title">Move a label</h3>
      <div className="field">
        <label htmlFor="label-name">Label</label>
        <select
          id="label-name"
          name="name"
          defaultValue="production"
          onChange={(e) => {
            // Picking from the list means that label: clear a name typed before.
            const custom = e.currentTarget.form?.elements.namedItem("customName");
            if (e.currentTarget.value !== "" && custom instanceof HTMLInputElement) custom.value = "";
          }}
        >
          {labelNames.map((n) => (
            <option key={n}>{n}</option>
          ))}
          <option value="">New label (type it below)</option>
        </select>
      </div>
      <ProblemField id="label-custom" field="labelName" label="…or a new label" error={issueFor(problem, "labelName")}>
        {(aria) => (
          <input
            id="label-custom"
            name="customName"
            type="text"
            placeholder="e.g. canary"
            onInput={(e) => {
              // Typing a name means a new label: the list says so.
              const list = e.currentTarget.form?.elements.namedItem("name");
              if (e.currentTarget.value.trim() && list instanceof HTMLSelectElement) list.value = "";
            }}
            {...aria}
          />
        )}
      </ProblemField>
      <ProblemField id="label-version" field="version" label="Version" error={issueFor(problem, "version")}>
        {(aria) => (
          <select id="label-version" name="version" defaultValue={String(prompt.headVersion)} {...aria}>
            {Array.from({ length: Math.min(prompt.headVersion, 200) }, (_, i) => prompt.headVersion - i).map((n) => (
              <option key={n} value={n}>
                v{n}
              </option>
            ))}
          </select>
        )}
      </ProblemField>
      {canMoveProtected ? null : (
        <ProblemField
          id="label-comment"
          field="comment"
          label="Comment for the approver"
          error={issueFor(problem, "comment")}
          hint="A protected label (🔒) is not moved at once: this opens a change request that an admin or approver approves or rejects."
        >
          {(aria) => <textarea id="label-comment" name="comment" rows={2} maxLength={2000} {...aria} />}
        </ProblemField>
      )}
      <button type="submit" name="intent" value="label" className="btn btn-primary">
        {canMoveProtected ? "Move label" : "Move label or request the move"}
      </button>
    </Form>
  );
}

/** A prompt's labels (with protect/unprotect), the form that moves one, and the latest label moves. */
export function LabelsPanel({
  prompt,
  events,
  authEnabled,
  canMoveProtected,
  changeRequests,
  problem,
}: {
  prompt: PromptSummary;
  events: LabelEventView[];
  authEnabled: boolean;
  /** An admin in the browser (or single-user mode): protected labels move at once. */
  canMoveProtected: boolean;
  changeRequests: readonly ChangeRequestRow[];
  problem: Problem | undefined;
}) {
  return (
    <section className="panel card" aria-labelledby="labels-title">
      <h2 id="labels-title">Labels</h2>
      {prompt.labels.length ? (
        <table className="labels-table">
          <tbody>
            {prompt.labels.map((l) => (
              <tr key={l.name}>
                <th scope="row">
                  {l.protected ? (
                    <span
                      title={
                        authEnabled
                          ? "Protected: only admins move it; others request the move"
                          : "Protected (accounts are off, so anyone may move it)"
                      }
                    >
                      🔒{" "}
                    </span>
                  ) : null}
                  {l.name}
                </th>
                <td>v{l.version}</td>
                <td>
                  {canMoveProtected ? (
                    <IntentButton
                      intent={l.protected ? "unprotect" : "protect"}
                      fields={{ name: l.name }}
                      className="btn btn-sm btn-ghost"
                    >
                      {l.protected ? "Unprotect" : "Protect"}
                    </IntentButton>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No labels yet. Point production at a version to serve it.</p>
      )}
      <MoveLabelForm prompt={prompt} problem={problem} canMoveProtected={canMoveProtected} />
      {changeRequests.length ? (
        <>
          <h3>Change requests</h3>
          <ChangeRequestList requests={changeRequests} empty="" showPrompt={false} />
        </>
      ) : null}
      {events.length ? (
        <>
          <h3>Label moves</h3>
          <ul className="event-list">
            {events.map((e) => (
              <li key={e.id}>
                <strong>{e.label}</strong> {e.from ? `v${e.from} → ` : "set to "}v{e.to} by {e.actor ?? "local"},{" "}
                <AbsoluteDate iso={e.at} />
                {e.evalRunId ? (
                  <>
                    {" "}
                    after a <Link to={`/prompts/${prompt.slug}/tests/runs/${e.evalRunId}`}>passing run</Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
