/**
 * POST /mcp — the library as an MCP server over the Streamable HTTP transport, stateless and
 * answering JSON (no session, no server-to-client stream): each request builds the server and
 * answers it. GET (a server-to-client event stream, which would only hold a connection open: this
 * server never sends unprompted) and DELETE (sessions) answer 405, as the specification allows.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { createPromptServer } from "~/mcp/prompt-server.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { methodNotAllowed } from "~/server/http/problem.server";
import { requireApi, visibilityScope, type Principal } from "~/server/auth/guard.server";

async function handle(request: Request, principal: Principal): Promise<Response> {
  const server = createPromptServer(getDb(), getEnv().APP_VERSION, {
    visibility: visibilityScope(principal),
    labels: principal.kind === "token" && principal.grant.labels.length ? principal.grant.labels : null,
    canRender: principal.kind !== "token" || principal.grant.scopes.includes("render"),
  });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    void server.close();
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "read");
  return methodNotAllowed("This MCP server is stateless: send JSON-RPC requests with POST.");
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireApi(request, "read");
  if (request.method !== "POST") return methodNotAllowed("Send JSON-RPC requests with POST.");
  return handle(request, principal);
}
