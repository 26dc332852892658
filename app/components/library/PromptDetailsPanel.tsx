import { Form } from "@remix-run/react";
import { issueFor } from "~/components/issue-for";
import type { PromptSummary } from "~/models/prompt-summary.server";
import type { Problem } from "~/prompt/problem";
import { FieldMessage } from "./FieldMessage";

/** A prompt's name, description and tags (one form) and its folder (another); errors beside the fields. */
export function PromptDetailsPanel({ prompt, problem }: { prompt: PromptSummary; problem: Problem | undefined }) {
  return (
    <section className="panel card" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <Form method="post" className="form-grid">
        <input type="hidden" name="intent" value="details" />
        <div className="field">
          <label htmlFor="name">Name</label>
          <input
            id="name"
            name="name"
            type="text"
            defaultValue={prompt.name}
            aria-invalid={!!issueFor(problem, "name")}
            aria-describedby="name-error"
          />
          <FieldMessage problem={problem} field="name" />
        </div>
        <div className="field">
          <label htmlFor="description">Description</label>
          <textarea
            id="description"
            name="description"
            rows={3}
            defaultValue={prompt.description}
            aria-invalid={!!issueFor(problem, "description")}
          />
          <FieldMessage problem={problem} field="description" />
        </div>
        <div className="field">
          <label htmlFor="tags">Tags</label>
          <input
            id="tags"
            name="tags"
            type="text"
            defaultValue={prompt.tags.join(", ")}
            aria-invalid={!!issueFor(problem, "tags")}
            aria-describedby="tags-error"
          />
          <FieldMessage problem={problem} field="tags" />
        </div>
        <button type="submit" className="btn">
          Save details
        </button>
      </Form>
      <Form method="post" className="form-grid">
        <input type="hidden" name="intent" value="move" />
        <div className="field">
          <label htmlFor="folder">Folder</label>
          <input
            id="folder"
            name="folder"
            type="text"
            defaultValue={prompt.folder}
            placeholder="support/email"
            aria-invalid={!!issueFor(problem, "folder")}
            aria-describedby="folder-error"
          />
          <FieldMessage problem={problem} field="folder" />
        </div>
        <button type="submit" className="btn">
          Move
        </button>
      </Form>
    </section>
  );
}
