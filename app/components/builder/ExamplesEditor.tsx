import type { Example } from "~/prompt/draft";
import { Icon } from "./Icon";

/** Input → output pairs of an examples section. */
export function ExamplesEditor({
  examples,
  onChange,
  sectionLabel,
}: {
  examples: Example[];
  onChange: (e: Example[]) => void;
  sectionLabel: string;
}) {
  const set = (i: number, patch: Partial<Example>) =>
    onChange(examples.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  return (
    <div className="examples-editor">
      <div className="examples-head" aria-hidden="true">
        <span>Input</span>
        <span />
        <span>Output</span>
        <span />
      </div>
      <ol className="examples-rows" aria-label={`${sectionLabel}: example pairs`}>
        {examples.map((e, i) => (
          <li key={i} className="example-row">
            <textarea
              aria-label={`Example ${i + 1} input`}
              value={e.input}
              rows={Math.min(8, Math.max(2, e.input.split("\n").length))}
              onChange={(ev) => set(i, { input: ev.target.value })}
              placeholder="What the user sends"
            />
            <span className="example-arrow" aria-hidden="true">
              →
            </span>
            <textarea
              aria-label={`Example ${i + 1} output`}
              value={e.output}
              rows={Math.min(8, Math.max(2, e.output.split("\n").length))}
              onChange={(ev) => set(i, { output: ev.target.value })}
              placeholder="The ideal answer"
            />
            <button
              type="button"
              className="icon-btn"
              aria-label={`Remove example ${i + 1}`}
              title="Remove example"
              onClick={() => onChange(examples.filter((_, j) => j !== i))}
            >
              <Icon name="x" size={14} />
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="btn btn-sm" onClick={() => onChange([...examples, { input: "", output: "" }])}>
        + Add example
      </button>
    </div>
  );
}
