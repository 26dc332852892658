/**
 * The parts of `@modelcontextprotocol/sdk` the /mcp route uses, loaded on the first MCP request.
 * Imported at start-up they cost about 15 MB of RSS (measured on Node 24 with a GC before and
 * after: docs/decisions/131), and most instances serve no MCP client. The server bundle hoists a
 * package's static imports to its top whatever module holds them, hence the dynamic `import()`.
 */
import type * as McpModule from "@modelcontextprotocol/sdk/server/mcp.js";
import type * as HttpModule from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type * as TypesModule from "@modelcontextprotocol/sdk/types.js";

type McpSdk = { mcp: typeof McpModule; types: typeof TypesModule; http: typeof HttpModule };
let sdk: Promise<McpSdk> | undefined;

export function loadMcpSdk(): Promise<McpSdk> {
  sdk ??= Promise.all([
    import("@modelcontextprotocol/sdk/server/mcp.js"),
    import("@modelcontextprotocol/sdk/types.js"),
    import("@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"),
  ]).then(([mcp, types, http]) => ({ mcp, types, http }));
  return sdk;
}
