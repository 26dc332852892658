import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

type RunLike = { status: string; total: number; done: number; passed: number; failed: number };

export const isActive = (r: { status: string }) => r.status === "queued" || r.status === "running";

/** Reloads the page's data every second while `active`: the progress of background runs. */
export function usePollWhile(active: boolean) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => {
      if (state === "idle") revalidate();
    }, 1000);
    return () => clearInterval(t);
  }, [active, revalidate, state]);
}

export function RunStatusBadge({ run }: { run: RunLike }) {
  const cls =
    run.status === "passed" ? "badge badge-success" : run.status === "failed" ? "badge badge-danger" : "badge";
  return <span className={cls}>{run.status}</span>;
}

export function RunProgress({ run }: { run: RunLike }) {
  return (
    <span className="run-progress">
      <progress max={run.total} value={run.done} aria-label={`${run.done} of ${run.total} cases done`} />
      <span>
        {run.done}/{run.total} · {run.passed} passed · {run.failed} failed
      </span>
    </span>
  );
}

export const formatUsd = (n: number | null) =>
  n === null ? "—" : n === 0 ? "$0" : `$${n < 0.01 ? n.toFixed(5) : n.toFixed(3)}`;
