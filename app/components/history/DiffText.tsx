import type { TextOp } from "~/prompt/diff";

/** Word-level diff: insertions <ins>, deletions <del>, the rest as is. `side` shows one side only. */
export function DiffText({ ops, side = "both" }: { ops: readonly TextOp[]; side?: "both" | "before" | "after" }) {
  if (!ops.length) return <pre className="diff-text diff-empty">(empty)</pre>;
  return (
    <pre className="diff-text">
      {ops.map((o, i) => {
        if (o.op === "eq") return <span key={i}>{o.text}</span>;
        if (o.op === "add") return side === "before" ? null : <ins key={i}>{o.text}</ins>;
        return side === "after" ? null : <del key={i}>{o.text}</del>;
      })}
    </pre>
  );
}
