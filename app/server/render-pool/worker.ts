/**
 * The render pool's worker thread: parses and renders user templates off the server's event
 * loop. Bundled by scripts/build-workers.mjs into build/render-pool/worker.js; piscina calls the
 * default export once per task, and terminates the thread when a task runs over its time limit.
 */
import { runRenderTask } from "./tasks";

export default runRenderTask;
