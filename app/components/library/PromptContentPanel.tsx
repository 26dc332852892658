import { Link } from "@remix-run/react";
import type { LoadedVersion } from "~/models/history.server";
import { KIND_LABEL } from "~/prompt/targets";

/** What the prompt page shows of the newest version. */
export type PromptHead = Pick<LoadedVersion, "number" | "message" | "author"> &
  Pick<LoadedVersion["draft"], "sections" | "variables" | "modelSettings">;

/** The newest version's sections (the first three open), the snippets it uses and its variables. */
export function PromptContentPanel({
  head,
  description,
  snippets,
}: {
  head: PromptHead | null;
  description: string;
  snippets: string[];
}) {
  return (
    <section className="panel card" aria-labelledby="content-title">
      <h2 id="content-title">
        Version {head?.number} {head?.message ? <span className="muted">— {head.message}</span> : null}
      </h2>
      {description ? <p>{description}</p> : null}
      {head?.sections.map((s, i) => (
        <details key={s.id ?? i} className="section-preview" open={i < 3}>
          <summary>
            {s.title || KIND_LABEL[s.kind]}{" "}
            <span className="muted">
              ({KIND_LABEL[s.kind]}
              {s.enabled ? "" : ", disabled"})
            </span>
          </summary>
          <pre>{s.template || s.examples.map((e) => `Input: ${e.input}\nOutput: ${e.output}`).join("\n\n")}</pre>
        </details>
      ))}
      {snippets.length ? (
        <p className="muted">
          Uses snippets:{" "}
          {snippets.map((n, i) => (
            <span key={n}>
              {i ? ", " : ""}
              <Link to={`/snippets/${n}`}>{n}</Link>
            </span>
          ))}
        </p>
      ) : null}
      {head?.variables.length ? (
        <p className="muted">
          Variables: {head.variables.map((v) => `${v.name} (${v.type}${v.required ? "" : ", optional"})`).join(", ")} ·
          Model {head.modelSettings.model}
        </p>
      ) : null}
    </section>
  );
}
