/** Callout listing names used in templates but not declared, each a button that declares it. */
export function UndeclaredVariables({
  undeclared,
  onDeclare,
}: {
  undeclared: string[];
  onDeclare: (names: string[]) => void;
}) {
  return (
    <div className="callout callout-warning" role="status">
      <p>
        <strong>Used but not declared:</strong>{" "}
        {undeclared.map((n) => (
          <button key={n} type="button" className="chip" onClick={() => onDeclare([n])} aria-label={`Declare ${n}`}>
            {`{{${n}}}`} <span aria-hidden="true">＋</span>
          </button>
        ))}
      </p>
      {undeclared.length > 1 ? (
        <button type="button" className="btn btn-sm" onClick={() => onDeclare(undeclared)}>
          Declare all
        </button>
      ) : null}
    </div>
  );
}
