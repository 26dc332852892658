/**
 * The builder's preview when the render worker cannot start: the same computation as the worker
 * (app/workers/preview.ts) on the page, with templates rendered by the server (POST
 * /resources/render) because the page's CSP forbids the eval Handlebars needs. Loaded with a
 * dynamic import, so dotprompt, Handlebars and the tokenizer are not part of the page's first
 * download.
 */
import type { TemplateOutcome, TemplateRenderer } from "~/prompt/render";
import { PreviewEngine } from "~/workers/preview";
import type { WorkerMessage } from "~/workers/render-protocol";
import type { PreviewBackend } from "./preview-backend";

const remoteRenderer: TemplateRenderer = async (jobs) => {
  const res = await fetch("/resources/render", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jobs }),
  });
  if (!res.ok) {
    const message =
      ((await res.json().catch(() => null)) as { error?: string } | null)?.error ??
      `the render service answered ${res.status}`;
    return jobs.map(() => ({ error: { message } }));
  }
  return ((await res.json()) as { outcomes: TemplateOutcome[] }).outcomes;
};

export function createServerBackend(onMessage: (m: WorkerMessage) => void): PreviewBackend {
  const engine = new PreviewEngine({
    renderer: remoteRenderer,
    onRefresh: (result) => onMessage({ type: "result", result, refresh: true }),
  });
  return {
    send: (req) =>
      void engine.compute(req).then(
        (result) => onMessage({ type: "result", result }),
        (err: unknown) => onMessage({ type: "failed", id: req.id, message: String((err as Error)?.message ?? err) }),
      ),
    dispose: () => undefined,
  };
}
