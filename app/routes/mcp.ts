/**
 * POST /mcp — the library as an MCP server over the Streamable HTTP transport, stateless and
 * answering JSON (no session, no server-to-client stream): each request builds the server and
 * answers it. GET (a server-to-client event stream, which would only hold a connection open: this
 * server never sends unprompted) and DELETE (sessions) answer 405, as the specification allows.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { createPromptServer } from "~/mcp/prompt-server.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { methodNotAllowed } from "~/server/http/problem.server";

async function handle(request: Request): Promise<Response> {
  const server = createPromptServer(getDb(), getEnv().APP_VERSION);
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

export const loader = () => methodNotAllowed("This MCP server is stateless: send JSON-RPC requests with POST.");
export const action = ({ request }: ActionFunctionArgs) =>
  request.method === "POST" ? handle(request) : methodNotAllowed("Send JSON-RPC requests with POST.");
