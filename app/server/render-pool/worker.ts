/**
 * The render pool's worker thread: parses and renders user templates off the server's event
 * loop. Bundled by scripts/build-workers.mjs into build/render-pool/worker.js; piscina calls the
 * default export once per task, and the pool terminates the thread when a task runs over its time
 * limit, counted from the "started" message below (thread start-up and queueing do not count).
 */
import type { MessagePort } from "node:worker_threads";
import { runRenderTask, type RenderTask } from "./tasks";

export default function run({ task, started }: { task: RenderTask; started: MessagePort }) {
  started.postMessage(null);
  started.close();
  return runRenderTask(task);
}
