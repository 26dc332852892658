/**
 * Reads a JSON request body with a byte limit, counted as bytes arrive, so a body without
 * Content-Length (chunked) cannot grow memory past it. Past the limit the rest is read and
 * discarded, so the 413 reaches the client and its keep-alive connection stays usable; only a body
 * past the global cap is abandoned (stopping the read destroys the socket with it). A declared
 * length over the limit is refused unread, asking the client to close the connection: its next
 * request on it would otherwise meet the rest of this body.
 */
import { bodyNotJsonProblem, bodyTooLargeProblem, problemResponse } from "~/server/http/problem.server";
import { MAX_REQUEST_BODY_BYTES } from "~/server/observability/http-instrumentation.server";

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

export function bodyTooLarge(maxBytes: number, options: { closeConnection: boolean }): Response {
  return problemResponse(bodyTooLargeProblem(maxBytes), { headers: options.closeConnection ? { Connection: "close" } : {} });
}

export async function readJsonBody(request: Request, maxBytes: number): Promise<JsonBody> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) return { ok: false, response: bodyTooLarge(maxBytes, { closeConnection: true }) };
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_REQUEST_BODY_BYTES) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, response: bodyTooLarge(maxBytes, { closeConnection: true }) };
      }
      if (total <= maxBytes) chunks.push(value);
    }
  }
  if (total > maxBytes) return { ok: false, response: bodyTooLarge(maxBytes, { closeConnection: false }) };
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: problemResponse(bodyNotJsonProblem()) };
  }
}
