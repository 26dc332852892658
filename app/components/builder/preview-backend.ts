/**
 * Where the builder's preview requests go: the render worker, or (preview-fallback.ts) the same
 * engine on the page. Both answer with WorkerMessages.
 */
import type { PreviewRequest, WorkerMessage } from "~/workers/render-protocol";

export type PreviewBackend = { send(req: PreviewRequest): void; dispose(): void };

/** The render worker, or null where module workers cannot be created. */
export function startWorker(
  url: string,
  onMessage: (m: WorkerMessage) => void,
  onFailure: (why: string) => void,
): PreviewBackend | null {
  if (typeof Worker === "undefined") return null;
  let worker: Worker;
  try {
    worker = new Worker(url, { type: "module", name: "render" });
  } catch {
    return null;
  }
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => onMessage(e.data);
  // Load or syntax errors (no module workers), or an exception at start.
  worker.onerror = (e) => {
    e.preventDefault();
    onFailure(e.message || "the render worker failed to start");
  };
  worker.onmessageerror = () => onFailure("the render worker sent a message that could not be read");
  return { send: (req) => worker.postMessage(req), dispose: () => worker.terminate() };
}
