/**
 * /mcp — the library as an MCP server over the Streamable HTTP transport, without sessions: each
 * POST builds the server, answers its JSON-RPC request with JSON and is done, so any replica can
 * answer any request. GET opens the one thing that outlives a request: a server-to-client event
 * stream on which the server sends `notifications/prompts/list_changed` when prompts or labels
 * change (app/mcp/list-changes.server.ts), up to MCP_MAX_STREAMS per process (then 429). Streams
 * end when the client goes or the server shuts down. DELETE (sessions) answers 405.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { openStreams, watchPromptList } from "~/mcp/list-changes.server";
import { createPromptServer } from "~/mcp/prompt-server.server";
import { loadMcpSdk } from "~/mcp/sdk.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { methodNotAllowed, problemOf, problemResponse } from "~/server/http/problem.server";
import { requireApi, visibilityScope, type Principal } from "~/server/auth/guard.server";
import { endOnShutdown } from "~/server/shutdown.server";
import { onClientGone } from "~/server/http/client-gone.server";

async function connect(principal: Principal) {
  const { WebStandardStreamableHTTPServerTransport } = (await loadMcpSdk()).http;
  const server = await createPromptServer(getDb(), getEnv().APP_VERSION, {
    visibility: visibilityScope(principal),
    labels: principal.kind === "token" && principal.grant.labels.length ? principal.grant.labels : null,
    canRender: principal.kind !== "token" || principal.grant.scopes.includes("render"),
  });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  return { server, transport };
}

async function answer(request: Request, principal: Principal): Promise<Response> {
  const { server, transport } = await connect(principal);
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    void server.close();
  }
}

/** GET: the event stream that carries prompt-list notifications. */
async function openStream(request: Request, principal: Principal): Promise<Response> {
  if (!(request.headers.get("accept") ?? "").includes("text/event-stream")) {
    return problemResponse(
      problemOf(406, "Ask for an event stream (Accept: text/event-stream), or send JSON-RPC with POST."),
    );
  }
  const max = getEnv().MCP_MAX_STREAMS;
  if (openStreams() >= max) {
    return problemResponse(
      problemOf(
        429,
        `This server already holds its ${max} MCP event streams: try again later, or use POST requests only.`,
      ),
      { headers: { "Retry-After": "30" } },
    );
  }
  const { server, transport } = await connect(principal);
  await server.connect(transport);
  const response = await transport.handleRequest(request);
  if (!response.ok) {
    void server.close();
    return response;
  }
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    unwatch();
    forget();
    void server.close();
  };
  const unwatch = await watchPromptList(getDb(), () => void server.sendPromptListChanged());
  const forget = endOnShutdown(end);
  transport.onclose = end;
  // Not request.signal: it stops following the client once this loader's Request is collected.
  onClientGone(request, end);
  return response;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const principal = await requireApi(request, "read");
  return openStream(request, principal);
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireApi(request, "read");
  if (request.method !== "POST")
    return methodNotAllowed("Send JSON-RPC requests with POST, or GET for the event stream.", "GET, POST");
  return answer(request, principal);
}
