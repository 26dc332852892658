import { Form, Link } from "@remix-run/react";
import { issueFor } from "~/components/issue-for";
import type { Problem } from "~/prompt/problem";

function Folders({ folders, current }: { folders: string[]; current: string }) {
  return (
    <nav aria-label="Folders" className="folder-tree">
      <h2 className="sidebar-title">Folders</h2>
      <ul>
        <li>
          <Link to="/" className={!current ? "active" : undefined} aria-current={!current ? "page" : undefined}>
            All prompts
          </Link>
        </li>
        {folders.map((f) => {
          const depth = f.split("/").length - 1;
          return (
            <li key={f} style={{ paddingLeft: `${depth * 12}px` }}>
              <Link
                to={`/?folder=${encodeURIComponent(f)}`}
                className={current === f ? "active" : undefined}
                aria-current={current === f ? "page" : undefined}
              >
                {f.split("/").pop()}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The library's sidebar: the folder tree, the new-folder form (its error beside the field) and a link to the tags. */
export function FolderSidebar({
  folders,
  current,
  problem,
}: {
  folders: string[];
  current: string;
  problem: Problem | undefined;
}) {
  return (
    <aside className="library-sidebar">
      <Folders folders={folders} current={current} />
      <Form method="post" className="new-folder">
        <input type="hidden" name="intent" value="create-folder" />
        <label htmlFor="new-folder-path" className="sidebar-title">
          New folder
        </label>
        <div className="inline-field">
          <input
            id="new-folder-path"
            name="path"
            type="text"
            placeholder="support/email"
            aria-invalid={!!issueFor(problem, "path")}
            aria-describedby="new-folder-error"
          />
          <button type="submit" className="btn btn-sm">
            Add
          </button>
        </div>
        <p id="new-folder-error" className="field-error" role={issueFor(problem, "path") ? "alert" : undefined}>
          {issueFor(problem, "path")}
        </p>
      </Form>
      <p>
        <Link to="/tags">Manage tags</Link>
      </p>
    </aside>
  );
}
