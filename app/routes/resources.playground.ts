/**
 * The playground: GET lists the configured providers and their models (never a key); POST runs the
 * builder's draft with a set of values on one provider and model and streams the answer back as
 * server-sent events (`app/prompt/run-events.ts`). What is sent is exactly the preview's OpenAI or
 * Anthropic request body, with the chosen model. Closing the request (Stop) aborts the upstream call.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requirePromptPage, requireUser } from "~/server/auth/guard.server";
import { z } from "zod";
import { requirePrompt, requireVersion } from "~/models/history.server";
import { getSnippetTemplates } from "~/models/prompt-store.server";
import { availableProviderInfos, findProvider } from "~/models/providers.server";
import { draftHash, monthlySpend, recordRun, type RunRecord } from "~/models/runs.server";
import { promptDraftSchema, variableValueSchema, type PromptDraft } from "~/prompt/draft";
import { InvalidError } from "~/prompt/errors";
import { getModel } from "~/prompt/models";
import { encodeRunEvent, type RunEvent } from "~/prompt/run-events";
import { capOutputTokens, MAX_STORED_OUTPUT_CHARS, requestText } from "~/prompt/run-history";
import { loadEncoder } from "~/prompt/tokens";
import { parseInput } from "~/prompt/zod-issues";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { onClientGone } from "~/server/http/client-gone.server";
import { readJsonBody } from "~/server/http/json-body.server";
import { apiResponse, methodNotAllowed, problemOf, problemResponse } from "~/server/http/problem.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { logger } from "~/server/logger.server";
import { providerModels } from "~/server/providers/providers.server";
import { runOnProvider } from "~/server/providers/run.server";
import { playgroundSlots } from "~/server/providers/slots.server";
import { renderDraftInPool } from "~/server/render-pool/render-pool.server";

const MAX_BODY_BYTES = 2_000_000;

/**
 * Either the builder's `draft` (of the prompt `slug`, when it has one) or a saved `version` of
 * `slug`. Runs of a prompt are recorded in its history.
 */
const runRequestSchema = z
  .object({
    draft: promptDraftSchema.optional(),
    slug: z.string().min(1).max(200).optional(),
    version: z.number().int().min(1).max(1_000_000).optional(),
    values: z.record(z.string(), variableValueSchema).default({}),
    provider: z.string().min(1).max(40),
    model: z.string().trim().min(1).max(200),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.version !== undefined && !r.slug)
      ctx.addIssue({ code: "custom", path: ["slug"], message: "a version belongs to a prompt: name it" });
    if (r.version === undefined && !r.draft)
      ctx.addIssue({ code: "custom", path: ["draft"], message: "send a draft or a version" });
  });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "viewer");
  return apiResponse(async () =>
    Response.json(
      { providers: await availableProviderInfos(getDb(), getEnv()) },
      { headers: { "Cache-Control": "no-store" } },
    ),
  );
}

/** The estimated input tokens of a request body, with the model's estimate factor. */
async function estimatedInputTokens(body: Record<string, unknown>, model: string): Promise<number> {
  const text = requestText(body);
  const info = getModel(model);
  // Past a megabyte the tokenizer would hold the event loop: three characters a token is generous.
  const tokens =
    text.length > 1_000_000
      ? Math.ceil(text.length / 3)
      : (await loadEncoder(info?.encoding ?? "o200k_base")).countTokens(text);
  return Math.ceil(tokens * (info?.estimateFactor ?? 1));
}

function budgetProblem(message: string, field: string) {
  return problemResponse(problemOf(429, message, [{ path: [field], message: "over budget" }]));
}

/** A run costs money on the provider's account: editors and admins only. */
export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "editor");
  if (request.method !== "POST") return methodNotAllowed("Use POST to run a prompt.");
  const read = await readJsonBody(request, { maxBytes: MAX_BODY_BYTES, abandonAfterBytes: MAX_REQUEST_BODY_BYTES });
  if (!read.ok) return read.response;
  const raw = read.value;
  return apiResponse(async () => {
    const env = getEnv();
    const db = getDb();
    const input = parseInput(runRequestSchema, raw, { message: "Invalid run request." });
    const provider = await findProvider(db, env, input.provider);
    if (!provider) {
      throw new InvalidError("No such provider is configured on this server.", [
        { path: ["provider"], message: "unknown provider" },
      ]);
    }
    if (provider.allowedModels && !(await providerModels(provider)).includes(input.model)) {
      throw new InvalidError(`${provider.name} is not allowed to run this model here.`, [
        { path: ["model"], message: `one of ${provider.allowedModels.join(", ")}` },
      ]);
    }
    let promptId: string | null = null;
    let draft: PromptDraft;
    let partials: Record<string, string>;
    if (input.slug) {
      await requirePromptPage(request, input.slug, "editor");
      const prompt = await requirePrompt(db, input.slug);
      promptId = prompt.id;
      if (input.version !== undefined) {
        const version = await requireVersion(db, prompt.id, input.version);
        draft = version.draft;
        partials = version.partials;
      } else {
        draft = input.draft!;
        partials = await getSnippetTemplates(db);
      }
    } else {
      draft = input.draft!;
      partials = await getSnippetTemplates(db);
    }
    const rendered = await renderDraftInPool(draft, provider.protocol, input.values, partials);
    if (!rendered.ok || typeof rendered.json !== "object" || rendered.json === null) {
      throw new InvalidError(
        "The prompt cannot be rendered with these values; fix the problems first.",
        rendered.issues,
      );
    }
    const body = capOutputTokens(
      rendered.json as Record<string, unknown>,
      provider.protocol,
      env.PLAYGROUND_MAX_OUTPUT_TOKENS,
    );
    if (env.PLAYGROUND_MAX_INPUT_TOKENS > 0) {
      const tokens = await estimatedInputTokens(body, input.model);
      if (tokens > env.PLAYGROUND_MAX_INPUT_TOKENS) {
        throw new InvalidError(
          `This prompt is about ${tokens.toLocaleString("en")} input tokens; a run may send at most ${env.PLAYGROUND_MAX_INPUT_TOKENS.toLocaleString("en")} (PLAYGROUND_MAX_INPUT_TOKENS).`,
          [{ path: ["draft"], message: "too many input tokens" }],
        );
      }
    }
    const user = principal.user ? { id: principal.user.id, name: principal.user.name } : null;
    if (env.PLAYGROUND_MONTHLY_BUDGET_USD !== undefined) {
      const spent = await monthlySpend(db, "instance");
      if (spent >= env.PLAYGROUND_MONTHLY_BUDGET_USD) {
        return budgetProblem(
          `This month's playground budget of $${env.PLAYGROUND_MONTHLY_BUDGET_USD.toFixed(2)} is spent ($${spent.toFixed(2)} recorded); runs resume on the 1st.`,
          "budget",
        );
      }
    }
    if (env.PLAYGROUND_USER_MONTHLY_BUDGET_USD !== undefined && user) {
      const spent = await monthlySpend(db, { userId: user.id });
      if (spent >= env.PLAYGROUND_USER_MONTHLY_BUDGET_USD) {
        return budgetProblem(
          `Your playground budget of $${env.PLAYGROUND_USER_MONTHLY_BUDGET_USD.toFixed(2)} this month is spent ($${spent.toFixed(2)} recorded); runs resume on the 1st.`,
          "budget",
        );
      }
    }
    const slot = playgroundSlots.take();
    if (!slot) {
      return problemResponse(
        problemOf(429, "Too many playground runs are in progress on this server; try again in a moment.", [
          { path: [], message: "busy" },
        ]),
        { headers: { "Retry-After": "5" } },
      );
    }
    const upstream = new AbortController();
    // Not request.signal: it stops following the client once this action's Request is collected.
    onClientGone(request, () => upstream.abort());
    const events = runOnProvider({
      provider,
      model: input.model,
      body,
      signal: upstream.signal,
      timeoutMs: env.PLAYGROUND_TIMEOUT_MS,
    });
    const started = Date.now();
    const history = runHistory({
      promptId,
      versionNumber: input.version ?? null,
      draftHash: draftHash(draft),
      providerId: provider.id,
      providerName: provider.name,
      model: input.model,
      settings: draft.modelSettings,
      values: input.values,
      user,
    });
    const encoder = new TextEncoder();
    // The run is driven to its end here, not by the reader: when the page goes away the response
    // stream may simply stop being read (no cancel), and the run must still end — upstream aborted
    // by onClientGone — release its slot and be recorded.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        void (async () => {
          let open = true;
          try {
            for await (const event of events) {
              history.see(event);
              if (!open) continue;
              try {
                controller.enqueue(encoder.encode(encodeRunEvent(event)));
              } catch {
                open = false;
              }
            }
          } finally {
            await history.end(started);
            slot.release();
            if (open) {
              try {
                controller.close();
              } catch {
                // already cancelled
              }
            }
          }
        })();
      },
      cancel() {
        upstream.abort();
      },
    });
    return new Response(stream, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Accel-Buffering": "no",
      },
    });
  });
}

type RunStart = Omit<
  RunRecord,
  "text" | "toolCalls" | "status" | "finishReason" | "failure" | "usage" | "costUsd" | "firstTokenMs" | "totalMs"
>;

/**
 * Collects a run's events and writes its record once, when it ends: after `done` or `error`, or
 * when the page went away (stopped). The text is kept up to the history's cap.
 */
function runHistory(start: RunStart) {
  let text = "";
  const toolCalls: RunRecord["toolCalls"] = [];
  let end: Extract<RunEvent, { type: "done" }> | null = null;
  let failure: RunRecord["failure"] = null;
  let written = false;
  return {
    see(event: RunEvent) {
      // One character past the cap marks the record truncated.
      if (event.type === "text" && text.length <= MAX_STORED_OUTPUT_CHARS)
        text = (text + event.text).slice(0, MAX_STORED_OUTPUT_CHARS + 1);
      else if (event.type === "tool-call") toolCalls.push(event.call);
      else if (event.type === "done") end = event;
      else if (event.type === "error") failure = event.failure;
    },
    async end(started: number) {
      if (written) return;
      written = true;
      const stopped = !end && (!failure || failure.kind === "aborted");
      try {
        await recordRun(getDb(), {
          ...start,
          text,
          toolCalls,
          status: end ? "ok" : stopped ? "stopped" : "failed",
          finishReason: end?.finishReason ?? null,
          failure: stopped ? (failure ?? { kind: "aborted", message: "Stopped." }) : failure,
          usage: end?.usage ?? null,
          costUsd: end?.costUsd ?? null,
          firstTokenMs: end?.firstTokenMs ?? null,
          totalMs: end?.totalMs ?? Date.now() - started,
        });
      } catch (error) {
        // The answer reached the page; a history that cannot be written must not break it.
        logger.error("playground run not recorded", { err: String(error) });
      }
    },
  };
}
