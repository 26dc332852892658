/**
 * Issue 14, the playground: a draft runs on a provider through the official SDKs and streams back
 * as server-sent events. The providers are local servers speaking the real OpenAI and Anthropic
 * streaming protocols (tests/support/fake-providers.ts), so the SDKs, their parsing and their
 * errors are the real ones. What is sent must be exactly the preview's request body.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promptDraftSchema } from "~/prompt/draft";
import { renderDraftTo } from "~/prompt/render-to";
import { createRunEventDecoder, type RunEvent } from "~/prompt/run-events";
import { startFakeProvider, type FakeProvider } from "../support/fake-providers";
import { startServer, type RunningServer } from "../support/server";

const draft = promptDraftSchema.parse({
  sections: [
    { kind: "system", title: "Role", template: "You are a terse assistant." },
    { kind: "task", title: "Task", template: "Summarise {{topic}} in one line." },
  ],
  variables: [{ name: "topic", type: "string" }],
  modelSettings: { model: "gpt-4.1-mini", temperature: 0.3, stop: [] },
});
const values = { topic: "tides" };

let openai: FakeProvider;
let anthropic: FakeProvider;
let server: RunningServer;
const stops: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  openai = await startFakeProvider("openai", ["fake-small", "fake-large"]);
  anthropic = await startFakeProvider("anthropic");
  stops.push(openai.close, anthropic.close);
  server = await startServer({
    database: "sqlite",
    env: {
      OPENAI_API_KEY: "sk-test-OPENAI-KEY-SECRET",
      OPENAI_BASE_URL: openai.baseUrl,
      ANTHROPIC_API_KEY: "sk-ant-ANTHROPIC-KEY-SECRET",
      ANTHROPIC_BASE_URL: anthropic.baseUrl,
      ANTHROPIC_MODELS: "claude-fake,fail-401,fail-429,fail-404,fail-context,slow,drop,tool",
    },
  });
  stops.push(server.stop);
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

async function run(body: Record<string, unknown>, signal?: AbortSignal) {
  const res = await fetch(`${server.baseUrl}/resources/playground`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  return res;
}

async function events(res: Response): Promise<RunEvent[]> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const decode = createRunEventDecoder();
  const out: RunEvent[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.push(...decode(value));
  }
  return out;
}

const textOf = (evs: RunEvent[]) => evs.flatMap((e) => (e.type === "text" ? [e.text] : [])).join("");
const last = (evs: RunEvent[]) => evs.at(-1)!;

describe("playground providers", () => {
  it("lists the configured providers and their models without any key", async () => {
    const res = await fetch(`${server.baseUrl}/resources/playground`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toMatch(/KEY-SECRET/);
    expect(JSON.parse(text)).toEqual({
      providers: [
        {
          id: "openai",
          name: expect.stringContaining("OpenAI-compatible"),
          protocol: "openai",
          models: ["fake-large", "fake-small"],
        },
        {
          id: "anthropic",
          name: expect.stringContaining("Anthropic-compatible"),
          protocol: "anthropic",
          models: expect.arrayContaining(["claude-fake", "slow"]),
        },
      ],
    });
  });
});

describe.each([
  ["openai", "fake-small", "stop"],
  ["anthropic", "claude-fake", "end_turn"],
] as const)("a run on %s", (provider, model, finish) => {
  it("streams the answer, then usage, latency and the finish reason; sends exactly the preview's body", async () => {
    const fake = provider === "openai" ? openai : anthropic;
    const before = fake.requests.length;
    const evs = await events(await run({ draft, values, provider, model }));
    expect(evs[0]).toMatchObject({ type: "start", model });
    const preview = await renderDraftTo(draft, provider, values, {});
    const body = preview.json as { messages: Array<{ role: string; content: unknown }> };
    const lastUser = body.messages.filter((m) => m.role === "user").at(-1)!;
    const userText =
      typeof lastUser.content === "string"
        ? lastUser.content
        : (lastUser.content as Array<{ text: string }>).map((p) => p.text).join("");
    expect(textOf(evs)).toBe(`You said: ${userText}`);
    expect(evs.filter((e) => e.type === "text").length).toBeGreaterThan(1);
    expect(last(evs)).toMatchObject({
      type: "done",
      finishReason: finish,
      usage: { inputTokens: 42, outputTokens: expect.any(Number) },
      firstTokenMs: expect.any(Number),
      totalMs: expect.any(Number),
    });
    // The upstream request: the preview's body, the chosen model, streaming on, the key in a header.
    const sent = fake.requests.slice(before).find((r) => r.path !== "/v1/models")!;
    const { model: _m, stream, stream_options: _so, ...rest } = sent.body;
    const { model: _pm, ...previewRest } = preview.json as Record<string, unknown>;
    expect(rest).toEqual(previewRest);
    expect(sent.body.model).toBe(model);
    expect(stream).toBe(true);
    if (provider === "openai") expect(sent.headers.authorization).toBe("Bearer sk-test-OPENAI-KEY-SECRET");
    // The Anthropic SDK sends the key as x-api-key or as a bearer token, depending on its version.
    else expect(`${sent.headers["x-api-key"]} ${sent.headers.authorization}`).toContain("sk-ant-ANTHROPIC-KEY-SECRET");
  });

  it.each([
    ["fail-401", "auth", /refused the API key \(401\)/],
    ["fail-429", "rate-limit", /rate limiting.*try again in 7 s/],
    ["fail-404", "model", /does not know the model "fail-404"/],
    ["fail-context", "context", /do not fit the model's context window/],
    ["drop", "connection", /dropped before the answer was complete/],
  ])("explains %s as %s", async (failing, kind, message) => {
    const evs = await events(await run({ draft, values, provider, model: failing }));
    const end = last(evs);
    expect(end.type).toBe("error");
    if (end.type !== "error") return;
    expect(end.failure.kind).toBe(kind);
    expect(end.failure.message).toMatch(message);
    expect(JSON.stringify(evs)).not.toMatch(/KEY-SECRET/);
    if (kind === "rate-limit") expect(end.failure.retryAfterSeconds).toBe(7);
  });

  it("reports a tool call as such", async () => {
    const evs = await events(await run({ draft, values, provider, model: "tool" }));
    expect(evs).toContainEqual({
      type: "tool-call",
      call: { id: expect.any(String), name: "get_weather", arguments: '{"city": "Paris"}' },
    });
    expect(last(evs)).toMatchObject({ type: "done", finishReason: provider === "openai" ? "tool_calls" : "tool_use" });
  });

  it("aborts the upstream request when the client stops reading (Stop)", async () => {
    const fake = provider === "openai" ? openai : anthropic;
    const controller = new AbortController();
    const res = await run({ draft, values, provider, model: "slow" }, controller.signal);
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    controller.abort();
    await expect.poll(() => fake.aborted.filter((m) => m === "slow").length).toBeGreaterThan(0);
  });
});

describe("playground refuses bad runs with a 4xx and calls nobody", () => {
  it.each([
    [{ draft, values, provider: "nope", model: "x" }, 422, ["provider"]],
    [{ draft, values, provider: "anthropic", model: "claude-not-allowed" }, 422, ["model"]],
    [{ values, provider: "openai", model: "fake-small" }, 422, ["draft"]],
    [{ draft, values, provider: "openai", model: "fake-small", extra: 1 }, 422, []],
    [
      {
        draft: { ...draft, sections: [{ kind: "task", title: "T", template: "{{#if x}}never closed" }] },
        values,
        provider: "openai",
        model: "fake-small",
      },
      422,
      ["sections"],
    ],
  ])("%j → %i", async (body, status, path) => {
    const calls = openai.requests.length + anthropic.requests.length;
    const res = await run(body as Record<string, unknown>);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await res.json()) as { issues: Array<{ path: unknown[] }> };
    if (path.length) expect(problem.issues.map((i) => i.path[0])).toContain(path[0]);
    expect(openai.requests.length + anthropic.requests.length).toBe(calls);
  });

  it("answers 405 to other methods and 400 to a body that is not JSON", async () => {
    expect((await fetch(`${server.baseUrl}/resources/playground`, { method: "PUT" })).status).toBe(405);
    const res = await fetch(`${server.baseUrl}/resources/playground`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
  });
});

describe("a run past PLAYGROUND_TIMEOUT_MS", () => {
  it("is cut off and explained", async () => {
    const slowServer = await startServer({
      database: "sqlite",
      env: {
        ANTHROPIC_API_KEY: "k",
        ANTHROPIC_BASE_URL: anthropic.baseUrl,
        ANTHROPIC_MODELS: "slow",
        PLAYGROUND_TIMEOUT_MS: "1500",
      },
    });
    stops.push(slowServer.stop);
    const res = await fetch(`${slowServer.baseUrl}/resources/playground`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ draft, values, provider: "anthropic", model: "slow" }),
    });
    const evs = await events(res);
    expect(textOf(evs)).toContain("tick");
    expect(last(evs)).toMatchObject({ type: "error", failure: { kind: "timeout" } });
  });
});
