import type { ReactNode } from "react";

/**
 * The outcome of a form action: a confirmation announced politely and/or an error announced at
 * once. Either may be absent; nothing renders when both are.
 */
export function ActionFeedback({ done, error }: { done?: ReactNode; error?: ReactNode }) {
  return (
    <>
      {done ? (
        <p className="flash" role="status">
          {done}
        </p>
      ) : null}
      {error ? (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
