/**
 * Live preview: whenever the draft or the preview values change, the draft is rendered with
 * dotprompt and its tokens counted — in the render worker (app/workers/render.worker.ts), whose
 * own CSP allows the `new Function` Handlebars needs, while this page's CSP does not. If the worker
 * cannot start (no module workers, or a browser that gives it the page's CSP), the same code runs
 * here, lazily loaded, with templates rendered by the server (/resources/render).
 *
 * Records a `pb-preview` performance measure from the change to the committed preview, which the
 * builder bench reads.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { PromptDraft } from "~/prompt/draft";
import { typedValues } from "~/prompt/form-values";
import type { PreviewRequest, PreviewResult, WorkerMessage } from "~/workers/render-protocol";
import { startWorker, type PreviewBackend } from "./preview-backend";
import type { RawValue } from "./VariablesPanel";

export type RenderedOn = "worker" | "server";

let changeStartedAt: number | null = null;
/** Called by the builder when the user changes something the preview depends on. */
export function markChange() {
  if (typeof performance !== "undefined" && changeStartedAt === null) changeStartedAt = performance.now();
}

/**
 * Sends requests one at a time: while one is being computed, only the newest change waits (older
 * ones are dropped), so fast typing never builds a queue. Results are applied in request order.
 */
class PreviewController {
  private backend: PreviewBackend | null = null;
  private nextId = 1;
  private inFlight: number | null = null;
  private queued: PreviewRequest | null = null;
  private latest: PreviewRequest | null = null;
  private applied = 0;
  private fellBack = false;
  private disposed = false;

  constructor(
    workerUrl: string | null,
    private readonly on: { result: (r: PreviewResult) => void; mode: (m: RenderedOn) => void },
  ) {
    this.backend = workerUrl ? startWorker(workerUrl, this.onMessage, this.fallBack) : null;
    if (this.backend) on.mode("worker");
    else this.fallBack("no worker");
  }

  /** The inputs of the latest request (by reference), so the same change is not sent twice. */
  private lastInputs: readonly unknown[] = [];

  /** Whether a chat target is shown, so the worker also renders the conversation. */
  private chat = false;

  setChat(chat: boolean) {
    if (chat === this.chat) return;
    this.chat = chat;
    const [draft, raw, partials] = this.lastInputs as [
      PromptDraft?,
      Record<string, RawValue>?,
      Record<string, string>?,
    ];
    if (draft && raw && partials) this.request(draft, raw, partials);
  }

  request(draft: PromptDraft, raw: Record<string, RawValue>, partials: Record<string, string>) {
    const inputs = [draft, raw, partials, this.chat];
    if (inputs.every((x, i) => x === this.lastInputs[i])) return;
    this.lastInputs = inputs;
    const { sections, variables, modelSettings } = draft;
    const req: PreviewRequest = {
      type: "preview",
      id: this.nextId++,
      draft: { sections, variables, modelSettings },
      values: typedValues(variables, raw),
      partials,
      chat: this.chat,
    };
    this.latest = req;
    this.queued = req;
    this.flush();
  }

  dispose() {
    this.disposed = true;
    this.backend?.dispose();
    this.backend = null;
  }

  private flush() {
    if (!this.backend || this.inFlight !== null || !this.queued) return;
    const req = this.queued;
    this.queued = null;
    this.inFlight = req.id;
    this.backend.send(req);
  }

  private onMessage = (m: WorkerMessage) => {
    if (this.disposed) return;
    if (m.type === "ready") {
      if (!m.canEval) this.fallBack("the browser applies the page's CSP to workers");
      return;
    }
    if (m.type === "result" && m.result.id >= this.applied) {
      this.applied = m.result.id;
      this.on.result(m.result);
    } else if (m.type === "failed") {
      console.error(`preview failed: ${m.message}`);
    }
    const answered = m.type === "failed" ? m.id : m.refresh ? null : m.result.id;
    if (answered !== null && answered === this.inFlight) {
      this.inFlight = null;
      this.flush();
    }
  };

  private fallBack = (_why: string) => {
    if (this.fellBack || this.disposed) return;
    this.fellBack = true;
    this.backend?.dispose();
    this.backend = null;
    this.inFlight = null;
    if (this.latest) this.queued = this.latest;
    import("./preview-fallback").then(
      ({ createServerBackend }) => {
        if (this.disposed) return;
        this.backend = createServerBackend(this.onMessage);
        this.on.mode("server");
        this.flush();
      },
      (err: unknown) => console.error("could not load the preview fallback", err),
    );
  };
}

export function usePreview(
  draft: PromptDraft,
  raw: Record<string, RawValue>,
  partials: Record<string, string>,
  workerUrl: string | null,
) {
  const [result, setResult] = useState<PreviewResult | null>(null);
  const [renderedOn, setRenderedOn] = useState<RenderedOn | undefined>(undefined);
  const controller = useRef<PreviewController | null>(null);
  const current = useRef({ raw, partials, workerUrl });
  useLayoutEffect(() => {
    current.current = { raw, partials, workerUrl };
  });
  const ensureController = useCallback(() => {
    // Created on first use, in the browser only.
    controller.current ??= new PreviewController(current.current.workerUrl, { result: setResult, mode: setRenderedOn });
    return controller.current;
  }, []);

  useEffect(
    () => () => {
      controller.current?.dispose();
      controller.current = null;
    },
    [],
  );

  useEffect(() => {
    ensureController().request(draft, raw, partials);
  }, [ensureController, draft, raw, partials]);

  /**
   * Sends a draft before React renders it: the builder calls this as the user types, so the
   * worker renders while the page re-renders the editor, and the preview is often ready for the
   * same frame. The effect above then finds the same draft already sent.
   */
  /** Tells the worker whether a chat target is shown (it then renders the conversation too). */
  const setChat = useCallback((chat: boolean) => ensureController().setChat(chat), [ensureController]);

  const requestNow = useCallback(
    (next: PromptDraft) => {
      if (typeof window === "undefined") return;
      ensureController().request(next, current.current.raw, current.current.partials);
    },
    [ensureController],
  );

  useLayoutEffect(() => {
    if (changeStartedAt !== null && result) {
      try {
        performance.measure("pb-preview", { start: changeStartedAt, end: performance.now() });
      } catch {
        /* old browsers */
      }
      changeStartedAt = null;
    }
  }, [result]);

  const budget = result?.budget ?? null;
  return {
    result,
    pending: result === null,
    budget,
    tokenizerLoading: result !== null && budget === null,
    renderedOn,
    requestNow,
    setChat,
  };
}
