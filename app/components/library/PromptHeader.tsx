import { Link } from "@remix-run/react";
import type { PromptSummary } from "~/models/prompt-summary.server";
import { IntentButton } from "./IntentButton";
import { useCanEdit } from "../useCanEdit";

/** A prompt page's breadcrumbs, title and actions (edit, history, favourite, duplicate, trash). */
export function PromptHeader({ prompt }: { prompt: PromptSummary }) {
  // A viewer reads, compares and renders: the changing actions are not offered.
  const canEdit = useCanEdit();
  return (
    <>
      <p className="crumbs">
        <Link to="/">Library</Link>
        {prompt.folder ? (
          <>
            {" / "}
            <Link to={`/?folder=${encodeURIComponent(prompt.folder)}`}>{prompt.folder}</Link>
          </>
        ) : null}
      </p>
      <div className="page-header">
        <h1>
          {prompt.favorite ? <span aria-label="Favourite">★ </span> : null}
          {prompt.name}
        </h1>
        <div className="actions">
          {canEdit ? (
            <Link to={`/prompts/${prompt.slug}/edit`} className="btn btn-primary">
              Edit
            </Link>
          ) : null}
          <Link to={`/prompts/${prompt.slug}/history`} className="btn">
            History
          </Link>
          <Link to={`/prompts/${prompt.slug}/tests`} className="btn">
            Tests
          </Link>
          <Link to={`/prompts/${prompt.slug}/runs`} className="btn">
            Runs
          </Link>
          {canEdit ? (
            <>
              <IntentButton intent="favorite" aria-pressed={prompt.favorite}>
                {prompt.favorite ? "★ Favourite" : "☆ Favourite"}
              </IntentButton>
              <IntentButton intent="duplicate">Duplicate</IntentButton>
              <IntentButton intent="trash" className="btn btn-danger">
                Move to trash
              </IntentButton>
            </>
          ) : null}
        </div>
      </div>
    </>
  );
}
