import { Form } from "@remix-run/react";
import { issueFor } from "~/components/issue-for";
import { ProblemField } from "~/components/ProblemField";
import type { PromptSummary } from "~/models/prompt-summary.server";
import type { Problem } from "~/prompt/problem";

/** A prompt's name, description and tags (one form) and its folder (another); errors beside the fields. */
export function PromptDetailsPanel({ prompt, problem }: { prompt: PromptSummary; problem: Problem | undefined }) {
  return (
    <section className="panel card" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <Form method="post" className="form-grid">
        <input type="hidden" name="intent" value="details" />
        <ProblemField id="name" label="Name" error={issueFor(problem, "name")}>
          {(aria) => <input id="name" name="name" type="text" defaultValue={prompt.name} {...aria} />}
        </ProblemField>
        <ProblemField id="description" label="Description" error={issueFor(problem, "description")}>
          {(aria) => (
            <textarea id="description" name="description" rows={3} defaultValue={prompt.description} {...aria} />
          )}
        </ProblemField>
        <ProblemField id="tags" label="Tags" error={issueFor(problem, "tags")}>
          {(aria) => <input id="tags" name="tags" type="text" defaultValue={prompt.tags.join(", ")} {...aria} />}
        </ProblemField>
        <button type="submit" className="btn">
          Save details
        </button>
      </Form>
      <Form method="post" className="form-grid">
        <input type="hidden" name="intent" value="move" />
        <ProblemField id="folder" label="Folder" error={issueFor(problem, "folder")}>
          {(aria) => (
            <input
              id="folder"
              name="folder"
              type="text"
              defaultValue={prompt.folder}
              placeholder="support/email"
              {...aria}
            />
          )}
        </ProblemField>
        <button type="submit" className="btn">
          Move
        </button>
      </Form>
    </section>
  );
}
