/**
 * The bar on top of the builder: the prompt's name (a field for a new prompt), whether there are
 * unsaved changes, the version message and the save button. It is a Remix <Form>: the draft goes
 * as JSON in hidden fields, so saving also works before the page's JavaScript has loaded.
 */
import { Form, useNavigation } from "@remix-run/react";
import { useRef, type Dispatch, type RefObject, type SetStateAction } from "react";
import type { PromptDraft, PromptMeta } from "~/prompt/draft";
import { draftForSave } from "~/prompt/sections";
import { ProblemField } from "../ProblemField";

type Props = {
  mode: "new" | "edit";
  formRef: RefObject<HTMLFormElement>;
  draft: PromptDraft;
  meta: PromptMeta;
  onMeta: Dispatch<SetStateAction<PromptMeta>>;
  /** What the page opened with: the hidden fields' values before hydration. */
  initialDraft: PromptDraft;
  initialMeta: PromptMeta;
  editBase: number;
  baseVersion: number;
  dirty: boolean;
  savedVersion?: number | null;
  title: string;
  promptHref?: string;
  /** Error for a visible field from the last save. */
  fieldError: (name: string) => string | undefined;
  /** Platform name of the modifier key, for the button's title. */
  mod: string;
  /** The draft is on its way to the server. */
  onSubmit: () => void;
  onHelp: () => void;
};

export function SaveBar(props: Props) {
  const { mode, meta, onMeta, fieldError } = props;
  const draftInput = useRef<HTMLInputElement>(null);
  const metaInput = useRef<HTMLInputElement>(null);
  const navigation = useNavigation();
  const saving = navigation.state !== "idle" && navigation.formMethod?.toLowerCase() === "post";
  const status = saving
    ? "Saving…"
    : props.dirty
      ? "Unsaved changes"
      : props.savedVersion
        ? `Saved as v${props.savedVersion}`
        : mode === "new"
          ? "Not saved yet"
          : "All changes saved";

  return (
    <Form
      method="post"
      ref={props.formRef}
      className="builder-bar panel"
      onSubmit={() => {
        if (draftInput.current) draftInput.current.value = JSON.stringify(draftForSave(props.draft));
        if (metaInput.current) metaInput.current.value = JSON.stringify(meta);
        props.onSubmit();
      }}
    >
      <input
        ref={draftInput}
        type="hidden"
        name="draft"
        defaultValue={JSON.stringify(draftForSave(props.initialDraft))}
      />
      <input ref={metaInput} type="hidden" name="meta" defaultValue={JSON.stringify(props.initialMeta)} />
      <input type="hidden" name="baseVersion" value={props.editBase} />
      <div className="bar-title">
        {mode === "new" ? (
          <div className="field field-inline">
            <label htmlFor="meta-name" className="sr-only">
              Prompt name
            </label>
            <input
              id="meta-name"
              name="name"
              type="text"
              className="title-input"
              value={meta.name}
              required
              maxLength={120}
              placeholder="Name your prompt"
              aria-invalid={!!fieldError("name")}
              aria-describedby={fieldError("name") ? "meta-name-err" : undefined}
              onChange={(e) => onMeta((m) => ({ ...m, name: e.target.value }))}
            />
            {fieldError("name") ? (
              <span id="meta-name-err" className="field-error">
                {fieldError("name")}
              </span>
            ) : null}
          </div>
        ) : (
          <h1 className="builder-title">
            {props.promptHref ? <a href={props.promptHref}>{props.title}</a> : props.title}
            <span className="badge" title="Saving creates the next version">
              v{props.baseVersion}
            </span>
          </h1>
        )}
        <span className={`status ${props.dirty ? "status-dirty" : "status-clean"}`} role="status">
          {status}
        </span>
      </div>
      <div className="bar-actions">
        <label htmlFor="save-message" className="sr-only">
          Version message (optional)
        </label>
        <input
          id="save-message"
          name="message"
          type="text"
          maxLength={500}
          placeholder="What changed? (optional)"
          className="message-input"
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={saving}
          aria-keyshortcuts="Control+S Meta+S"
          title={`Save a new version (${props.mod}+S)`}
        >
          {saving ? "Saving…" : mode === "new" ? "Create prompt" : "Save version"}
        </button>
        <button
          type="button"
          className="btn btn-ghost help-btn"
          onClick={props.onHelp}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
        >
          ?
        </button>
      </div>
      {mode === "new" ? <NewPromptDetails meta={meta} onMeta={onMeta} fieldError={fieldError} /> : null}
    </Form>
  );
}

/** Description, tags and folder of a prompt not saved yet (an existing prompt edits them on its page). */
function NewPromptDetails({ meta, onMeta, fieldError }: Pick<Props, "meta" | "onMeta" | "fieldError">) {
  return (
    <details className="meta-details">
      <summary>Description, tags and folder</summary>
      <div className="meta-grid">
        <ProblemField id="meta-description" field="description" label="Description" error={fieldError("description")}>
          {(aria) => (
            <input
              id="meta-description"
              name="description"
              type="text"
              value={meta.description}
              maxLength={2000}
              onChange={(e) => onMeta((m) => ({ ...m, description: e.target.value }))}
              {...aria}
            />
          )}
        </ProblemField>
        <ProblemField id="meta-tags" field="tags" label="Tags (comma-separated)" error={fieldError("tags")}>
          {(aria) => (
            <input
              id="meta-tags"
              name="tags"
              type="text"
              value={meta.tags.join(", ")}
              onChange={(e) =>
                onMeta((m) => ({
                  ...m,
                  // A trailing empty tag keeps the ", " just typed, so the next tag can follow.
                  tags: e.target.value
                    .split(",")
                    .map((t) => t.trim())
                    .filter((t, i, a) => t !== "" || i === a.length - 1),
                }))
              }
              {...aria}
            />
          )}
        </ProblemField>
        <ProblemField id="meta-folder" field="folder" label="Folder" error={fieldError("folder")}>
          {(aria) => (
            <input
              id="meta-folder"
              name="folder"
              type="text"
              value={meta.folder}
              placeholder="e.g. support/email"
              onChange={(e) => onMeta((m) => ({ ...m, folder: e.target.value }))}
              {...aria}
            />
          )}
        </ProblemField>
      </div>
    </details>
  );
}
