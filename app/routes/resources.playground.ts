/**
 * The playground: GET lists the configured providers and their models (never a key); POST runs the
 * builder's draft with a set of values on one provider and model and streams the answer back as
 * server-sent events (`app/prompt/run-events.ts`). What is sent is exactly the preview's OpenAI or
 * Anthropic request body, with the chosen model. Closing the request (Stop) aborts the upstream call.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/server/auth/guard.server";
import { z } from "zod";
import { getSnippetTemplates } from "~/models/prompt-store.server";
import { promptDraftSchema, variableValueSchema } from "~/prompt/draft";
import { InvalidError } from "~/prompt/errors";
import { encodeRunEvent } from "~/prompt/run-events";
import { parseInput } from "~/prompt/zod-issues";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { readJsonBody } from "~/server/http/json-body.server";
import { apiResponse, methodNotAllowed, problemOf, problemResponse } from "~/server/http/problem.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";
import { configuredProviders, providerInfos, providerModels } from "~/server/providers/providers.server";
import { runOnProvider } from "~/server/providers/run.server";
import { playgroundSlots } from "~/server/providers/slots.server";
import { renderDraftInPool } from "~/server/render-pool/render-pool.server";

const MAX_BODY_BYTES = 2_000_000;

const runRequestSchema = z
  .object({
    draft: promptDraftSchema,
    values: z.record(z.string(), variableValueSchema).default({}),
    provider: z.string().min(1).max(40),
    model: z.string().trim().min(1).max(200),
  })
  .strict();

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "viewer");
  return apiResponse(async () =>
    Response.json({ providers: await providerInfos(getEnv()) }, { headers: { "Cache-Control": "no-store" } }),
  );
}

/** A run costs money on the provider's account: editors and admins only. */
export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request, "editor");
  if (request.method !== "POST") return methodNotAllowed("Use POST to run a prompt.");
  const read = await readJsonBody(request, { maxBytes: MAX_BODY_BYTES, abandonAfterBytes: MAX_REQUEST_BODY_BYTES });
  if (!read.ok) return read.response;
  const raw = read.value;
  return apiResponse(async () => {
    const env = getEnv();
    const input = parseInput(runRequestSchema, raw, { message: "Invalid run request." });
    const provider = configuredProviders(env).find((p) => p.id === input.provider);
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
    const partials = await getSnippetTemplates(getDb());
    const rendered = await renderDraftInPool(input.draft, provider.protocol, input.values, partials);
    if (!rendered.ok || typeof rendered.json !== "object" || rendered.json === null) {
      throw new InvalidError(
        "The prompt cannot be rendered with these values; fix the problems first.",
        rendered.issues,
      );
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
    request.signal.addEventListener("abort", () => upstream.abort(), { once: true });
    const events = runOnProvider({
      provider,
      model: input.model,
      body: rendered.json,
      signal: upstream.signal,
      timeoutMs: env.PLAYGROUND_TIMEOUT_MS,
    });
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await events.next();
        if (next.done) {
          slot.release();
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(encodeRunEvent(next.value)));
      },
      async cancel() {
        upstream.abort();
        await events.return(undefined);
        slot.release();
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
