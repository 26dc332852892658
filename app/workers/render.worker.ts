/**
 * The builder's render worker: renders the draft with dotprompt and counts tokens off the page's
 * main thread. Handlebars compiles templates with `new Function`; the page's CSP forbids that, the
 * worker's own CSP (sent with this script, see docs/decisions/006-render-worker-csp.md) allows it
 * and nothing else. Bundled by scripts/build-workers.mjs into /build/workers/render-<hash>.js.
 */
import { canCompileTemplates } from "~/prompt/render";
import { PreviewEngine } from "./preview";
import type { PreviewRequest, WorkerMessage } from "./render-protocol";

// tsconfig has the DOM lib, not WebWorker (both cannot be on), so `self` is typed as a Window: its
// postMessage(message) and addEventListener("message") are the two members used, with the same
// signatures as the worker scope's.
const post = (message: WorkerMessage) => self.postMessage(message);

const isPreviewRequest = (data: unknown): data is PreviewRequest =>
  typeof data === "object" && data !== null && "type" in data && data.type === "preview";

const engine = new PreviewEngine({ onRefresh: (result) => post({ type: "result", result, refresh: true }) });

self.addEventListener("message", (event: MessageEvent<unknown>) => {
  const req = event.data;
  if (!isPreviewRequest(req)) return;
  engine.compute(req).then(
    (result) => post({ type: "result", result }),
    (err: unknown) => post({ type: "failed", id: req.id, message: String((err as Error)?.message ?? err) }),
  );
});

// A browser that gives workers the page's policy (CSP2) would refuse eval here: say so, and the
// page falls back to rendering on the server.
post({ type: "ready", canEval: canCompileTemplates() });
