/**
 * Local servers that speak the OpenAI Chat Completions and Anthropic Messages streaming protocols
 * (server-sent events, the same event shapes and error bodies the real APIs send), so the official
 * SDKs run unmodified against them. The model name picks the behaviour:
 *   any model        → streams "You said: <last user text>" in small pieces, then usage
 *   "fail-401"       → 401 invalid key          "fail-429" → 429 with Retry-After: 7
 *   "fail-404"       → 404 unknown model        "fail-context" → 400 context too long
 *   "slow"           → one piece every 100 ms until the client goes away (records the abort)
 *   "drop"           → two pieces, then the socket is destroyed mid-stream
 *   "tool"           → a tool call with streamed JSON arguments
 *   "delay-<ms>"     → waits that long before answering as any model does
 * An LLM judge's request (app/server/evals/judge.server.ts: "You are an evaluation judge") gets a
 * scripted verdict instead: a rubric that says `pass if the answer contains "X"` scores 0.9 when the
 * answer between <answer> tags contains X and 0.1 otherwise; any other rubric scores 0.5.
 */
import http from "node:http";

export type FakeProvider = {
  baseUrl: string;
  requests: Array<{ path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }>;
  aborted: string[];
  close: () => Promise<void>;
};

type Protocol = "openai" | "anthropic";

const pieces = (text: string) => text.match(/.{1,4}/gs) ?? [];

function lastUserText(protocol: Protocol, body: Record<string, unknown>): string {
  const messages = (body.messages as Array<{ role: string; content: unknown }>) ?? [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  return (last.content as Array<{ type: string; text?: string }>)
    .filter((p) => p.type === "text")
    .map((p) => p.text)
    .join("");
}

function isJudge(body: Record<string, unknown>): boolean {
  return JSON.stringify([body.system ?? "", body.messages ?? []]).includes("You are an evaluation judge");
}

/** The scripted judge: deterministic, so a suite's result is known in advance. */
export function judgeVerdict(user: string): string {
  const rule = /pass if the answer contains "([^"]*)"/.exec(user);
  const answer = /<answer>\n?([\s\S]*?)\n?<\/answer>/.exec(user)?.[1] ?? "";
  if (!rule) return JSON.stringify({ score: 0.5, reasoning: "No scripted verdict for this rubric." });
  const found = answer.includes(rule[1]!);
  return JSON.stringify({
    score: found ? 0.9 : 0.1,
    reasoning: found ? `The answer mentions "${rule[1]}".` : `The answer never mentions "${rule[1]}".`,
  });
}

function sendError(res: http.ServerResponse, protocol: Protocol, status: number, type: string, message: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (status === 429) headers["Retry-After"] = "7";
  const body =
    protocol === "openai"
      ? { error: { message, type, param: null, code: type } }
      : { type: "error", error: { type, message } };
  res.writeHead(status, headers).end(JSON.stringify(body));
}

function failure(protocol: Protocol, model: string): [number, string, string] | null {
  const o = protocol === "openai";
  switch (model) {
    case "fail-401":
      return [401, o ? "invalid_api_key" : "authentication_error", "Incorrect API key provided."];
    case "fail-429":
      return [429, o ? "rate_limit_exceeded" : "rate_limit_error", "Rate limit reached for requests."];
    case "fail-404":
      return [404, o ? "model_not_found" : "not_found_error", `The model \`${model}\` does not exist.`];
    case "fail-context":
      return o
        ? [400, "context_length_exceeded", "This model's maximum context length is 128000 tokens."]
        : [400, "invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum"];
    default:
      return null;
  }
}

function openAIChunk(model: string, delta: Record<string, unknown>, finish: string | null = null) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  };
}

async function stream(
  protocol: Protocol,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Record<string, unknown>,
  aborted: string[],
) {
  const model = String(body.model);
  const delay = /^delay-(\d+)$/.exec(model);
  if (delay) await new Promise((r) => setTimeout(r, Number(delay[1])));
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
  const send = (event: string | null, data: unknown) =>
    res.write(`${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
  let gone = false;
  res.on("close", () => {
    if (!res.writableFinished) {
      gone = true;
      aborted.push(model);
    }
  });
  const user = lastUserText(protocol, body);
  const text = model === "slow" ? "tick " : isJudge(body) ? judgeVerdict(user) : `You said: ${user}`;
  const parts = model === "slow" ? Array.from({ length: 1000 }, () => "tick ") : pieces(text);
  if (protocol === "anthropic") {
    send("message_start", {
      type: "message_start",
      message: {
        id: "msg_fake",
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 42, output_tokens: 1 },
      },
    });
    if (model === "tool") {
      send("content_block_start", {
        type: "content_block_start",
        index: 0,
        content_block: { type: "tool_use", id: "toolu_1", name: "get_weather", input: {} },
      });
      for (const p of ['{"city":', ' "Paris"}'])
        send("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "input_json_delta", partial_json: p },
        });
      send("content_block_stop", { type: "content_block_stop", index: 0 });
      send("message_delta", {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { output_tokens: 9 },
      });
      send("message_stop", { type: "message_stop" });
      res.end();
      return;
    }
    send("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
  }
  for (const [i, p] of parts.entries()) {
    if (gone) return;
    if (model === "drop" && i === 2) {
      // Let the first pieces reach the client, then cut the connection without ending the stream.
      await new Promise((r) => setTimeout(r, 200));
      req.socket.destroy();
      return;
    }
    if (protocol === "openai")
      send(null, openAIChunk(model, i === 0 ? { role: "assistant", content: p } : { content: p }));
    else send("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: p } });
    if (model === "slow") await new Promise((r) => setTimeout(r, 100));
  }
  if (protocol === "openai") {
    if (model === "tool") {
      send(
        null,
        openAIChunk(model, {
          tool_calls: [
            { index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":' } },
          ],
        }),
      );
      send(null, openAIChunk(model, { tool_calls: [{ index: 0, function: { arguments: ' "Paris"}' } }] }));
    }
    send(null, openAIChunk(model, {}, model === "tool" ? "tool_calls" : "stop"));
    send(null, {
      ...openAIChunk(model, {}),
      choices: [],
      usage: { prompt_tokens: 42, completion_tokens: parts.length, total_tokens: 42 + parts.length },
    });
    send(null, "[DONE]");
  } else {
    send("content_block_stop", { type: "content_block_stop", index: 0 });
    send("message_delta", {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: parts.length },
    });
    send("message_stop", { type: "message_stop" });
  }
  res.end();
}

/** The keys a request carries: a bearer token, and Anthropic's x-api-key (its SDK sends one or the other). */
function keysOf(protocol: Protocol, headers: http.IncomingHttpHeaders): string[] {
  const bearer = headers.authorization?.replace(/^Bearer /, "");
  const apiKey = protocol === "anthropic" ? (headers["x-api-key"] as string | undefined) : undefined;
  return [bearer, apiKey].filter((k): k is string => !!k);
}

/** `options.apiKey`: when set, any request without exactly this key is refused with 401 (as the real APIs do). */
export function startFakeProvider(
  protocol: Protocol,
  models: string[] = ["fake-small", "fake-large"],
  options: { apiKey?: string } = {},
) {
  const requests: FakeProvider["requests"] = [];
  const aborted: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const path = (req.url ?? "").split("?")[0]!;
      requests.push({ path, headers: req.headers, body });
      if (options.apiKey !== undefined && !keysOf(protocol, req.headers).includes(options.apiKey)) {
        sendError(
          res,
          protocol,
          401,
          protocol === "openai" ? "invalid_api_key" : "authentication_error",
          "Incorrect API key provided.",
        );
        return;
      }
      if (req.method === "GET" && path === "/v1/models") {
        const data =
          protocol === "openai"
            ? models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "fake" }))
            : models.map((id) => ({ id, type: "model", display_name: id, created_at: "2026-01-01T00:00:00Z" }));
        const page =
          protocol === "openai"
            ? { object: "list", data }
            : { data, has_more: false, first_id: models[0] ?? null, last_id: models.at(-1) ?? null };
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(page));
        return;
      }
      const expected = protocol === "openai" ? "/v1/chat/completions" : "/v1/messages";
      if (req.method !== "POST" || path !== expected) {
        sendError(res, protocol, 404, "not_found", `no route ${req.method} ${path}`);
        return;
      }
      const fail = failure(protocol, String(body.model));
      if (fail) {
        sendError(res, protocol, ...fail);
        return;
      }
      void stream(protocol, req, res, body, aborted);
    });
  });
  return new Promise<FakeProvider>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        // OpenAI clients take the /v1 in the base URL; Anthropic's SDK adds it.
        baseUrl: protocol === "openai" ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`,
        requests,
        aborted,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
