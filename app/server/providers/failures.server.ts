/**
 * Provider errors explained, not dumped: each SDK error becomes a `RunFailure` whose message says
 * what happened and what to do. Both SDKs (`openai`, `@anthropic-ai/sdk`) share the shape of their
 * error classes (status, headers, the body's type/code), so one mapper serves both.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import type { RunFailure } from "~/prompt/run-events";
import { loadedSdks } from "./sdks.server";

type ApiError = InstanceType<typeof OpenAI.APIError> | InstanceType<typeof Anthropic.APIError>;

function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const raw = headers?.get("retry-after");
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** The provider's own words, trimmed, for the page (never headers, never the key). */
function providerMessage(error: ApiError): string {
  const body = error.error as { error?: { message?: unknown }; message?: unknown } | undefined;
  const message = body?.error?.message ?? body?.message ?? error.message;
  return String(message).slice(0, 300);
}

function errorCode(error: ApiError): string {
  const e = error as { code?: unknown; type?: unknown; error?: { error?: { type?: unknown; code?: unknown } } };
  return [e.code, e.type, e.error?.error?.type, e.error?.error?.code].filter(Boolean).join(" ");
}

/** Whether `error` is an instance of the class `pick` names in either SDK that is loaded. */
function isSdkError<K extends "APIError" | "APIUserAbortError" | "APIConnectionTimeoutError">(error: unknown, pick: K) {
  const { OpenAI: o, Anthropic: a } = loadedSdks();
  return (o !== undefined && error instanceof o[pick]) || (a !== undefined && error instanceof a[pick]);
}
const isApiError = (error: unknown): error is ApiError => isSdkError(error, "APIError");
const isAbort = (error: unknown) =>
  isSdkError(error, "APIUserAbortError") || (error instanceof Error && error.name === "AbortError");
const isTimeout = (error: unknown) => isSdkError(error, "APIConnectionTimeoutError");

/**
 * Maps what a run threw. `cause` says why our own signal fired, if it did: the person pressed Stop
 * (or left), or the run passed `PLAYGROUND_TIMEOUT_MS`. `started` says whether any output had come.
 */
export function explainFailure(
  error: unknown,
  context: { provider: string; model: string; cause?: "stopped" | "timeout"; started: boolean },
): RunFailure {
  const { provider, model } = context;
  if (context.cause === "stopped") return { kind: "aborted", message: "Stopped." };
  if (context.cause === "timeout" || isTimeout(error)) {
    return { kind: "timeout", message: `${provider} did not finish in time; the run was cut off.` };
  }
  if (isAbort(error)) return { kind: "aborted", message: "Stopped." };
  if (isApiError(error) && error.status !== undefined) {
    const status = error.status;
    const code = errorCode(error);
    const said = providerMessage(error);
    if (status === 401 || status === 403) {
      return {
        kind: "auth",
        status,
        message: `${provider} refused the API key (${status}). Check the key the server is configured with.`,
      };
    }
    if (status === 429) {
      const retry = retryAfterSeconds(error.headers);
      return {
        kind: "rate-limit",
        status,
        ...(retry !== undefined ? { retryAfterSeconds: retry } : {}),
        message: `${provider} is rate limiting these requests${retry !== undefined ? `; try again in ${retry} s` : "; try again shortly"}.`,
      };
    }
    if (status === 404 || /model_not_found|not_found_error/.test(code)) {
      return { kind: "model", status, message: `${provider} does not know the model "${model}": ${said}` };
    }
    if (/context_length|too long|maximum context|prompt is too long|tokens? exceed/i.test(`${code} ${said}`)) {
      return {
        kind: "context",
        status,
        message: `The prompt and the requested output do not fit the model's context window: ${said}`,
      };
    }
    if (status >= 400 && status < 500) {
      return { kind: "bad-request", status, message: `${provider} refused the request (${status}): ${said}` };
    }
    return { kind: "provider", status, message: `${provider} failed (${status}): ${said}` };
  }
  return {
    kind: "connection",
    message: context.started
      ? `The connection to ${provider} dropped before the answer was complete.`
      : `${provider} could not be reached: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300),
  };
}
