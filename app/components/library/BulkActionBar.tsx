import { issueFor } from "~/components/issue-for";
import type { Problem } from "~/prompt/problem";

/**
 * The bar above the library list: select all, an action (tag, untag, move, trash) with its value,
 * and the outcome of the last bulk action (an error as an alert).
 */
export function BulkActionBar({
  selectedCount,
  total,
  onSelectAll,
  problem,
  ok,
  exportHref,
}: {
  /** The bundle export of the selection (null: nothing selected, or exports are off). */
  exportHref: string | null;
  selectedCount: number;
  total: number;
  onSelectAll: (on: boolean) => void;
  problem: Problem | undefined;
  ok: string;
}) {
  return (
    <fieldset className="bulk-bar panel" aria-describedby="bulk-status">
      <legend className="sr-only">Bulk actions</legend>
      <label className="checkbox-field">
        <input
          type="checkbox"
          checked={selectedCount === total && total > 0}
          onChange={(e) => onSelectAll(e.target.checked)}
          aria-label="Select all prompts on this page"
        />
        <span>{selectedCount ? `${selectedCount} selected` : "Select"}</span>
      </label>
      <label htmlFor="bulk-op" className="sr-only">
        Action
      </label>
      <select id="bulk-op" name="op" defaultValue="" aria-invalid={!!issueFor(problem, "op")}>
        <option value="">Action…</option>
        <option value="tag">Add tags</option>
        <option value="untag">Remove tags</option>
        <option value="move">Move to folder</option>
        <option value="trash">Move to trash</option>
      </select>
      <label htmlFor="bulk-value" className="sr-only">
        Tags or folder
      </label>
      <input
        id="bulk-value"
        name="value"
        type="text"
        placeholder="tags, comma-separated / folder path"
        aria-invalid={!!(issueFor(problem, "tags") || issueFor(problem, "folder"))}
      />
      <button type="submit" name="intent" value="bulk" className="btn btn-sm">
        Apply
      </button>
      {exportHref ? (
        <a href={exportHref} className="btn btn-sm" download>
          Export bundle
        </a>
      ) : null}
      <span id="bulk-status" className={problem ? "field-error" : "bulk-ok"} role={problem ? "alert" : "status"}>
        {problem ? problem.error : ok}
      </span>
    </fieldset>
  );
}
