/**
 * Why the last save did not go through: a version conflict (with the ways out of it), or a
 * problem with the draft and the fields it names.
 */
import type { Problem } from "~/prompt/problem";

/** What the builder's route actions answer when a save is refused: the app's one problem shape. */
export type ActionResult = Problem;

type Props = {
  result: ActionResult | null | undefined;
  promptHref?: string;
  /** The conflict view takes over the draft. */
  onOpenConflict: () => void;
  /** Base the edit on the version saved in between, to save over it knowingly. */
  onRebase: (headVersion: number) => void;
};

export function SaveProblem({ result, promptHref, onOpenConflict, onRebase }: Props) {
  const conflict = result?.conflict;
  if (conflict) {
    return (
      <div className="callout callout-error" role="alert">
        <p className="callout-title">
          Not saved: someone saved version {conflict.headVersion} after you started editing version{" "}
          {conflict.baseVersion}.
        </p>
        <p>
          Your changes are kept: here, and on the server for the conflict view, which shows both changes side by side so
          you can merge them or overwrite knowingly.
        </p>
        <div className="callout-actions">
          {conflict.url ? (
            <a className="btn btn-sm btn-primary" href={conflict.url} onClick={onOpenConflict}>
              Compare and merge…
            </a>
          ) : null}
          <a className="btn btn-sm" href={`${promptHref ?? ""}/edit`} target="_blank" rel="noreferrer">
            Open latest in a new tab
          </a>
          <button type="button" className="btn btn-sm" onClick={() => onRebase(conflict.headVersion)}>
            Save mine on top of v{conflict.headVersion}…
          </button>
        </div>
      </div>
    );
  }
  if (!result?.error) return null;
  return (
    <div className="callout callout-error" role="alert">
      <p className="callout-title">{result.error}</p>
      {result.issues?.length ? (
        <ul className="issue-list">
          {result.issues.map((i, n) => (
            <li key={n}>
              <code>{i.path.join(".")}</code> {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
