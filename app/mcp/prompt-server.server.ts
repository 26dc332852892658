/**
 * The library as an MCP server (Model Context Protocol): assistants and editors list the prompts,
 * fetch one filled in with their arguments (`prompts/list`, `prompts/get`), and call three
 * read-only tools — search, get and render — through the official `@modelcontextprotocol/sdk`.
 * Built per request (the HTTP transport is stateless), from the same repository functions as the
 * JSON API, so MCP serves exactly what the API serves: the version behind `production` when the
 * prompt has that label, else the newest.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { GetPromptResult, PromptMessage } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { countRender } from "~/server/render-counts.server";
import { listQuerySchema, renderRequestSchema } from "~/api/schemas";
import { apiGet, apiList, apiRender } from "~/models/api.server";
import { DomainError, ForbiddenError, NotFoundError } from "~/prompt/errors";
import { parseFormValue } from "~/prompt/form-values";
import { TARGETS } from "~/prompt/targets";
import { parseInput } from "~/prompt/zod-issues";
import type { Db } from "~/server/db.server";
import { visibleInScope } from "~/server/auth/guard.server";
import { loadMcpSdk } from "./sdk.server";

/** Labels tried, in order, for the version MCP serves; else the newest version. */
export const SERVED_LABEL = "production";
const PAGE_SIZE = 50;

/** A domain error as text for the client (MCP tool errors are reported in the result). */
function explain(error: unknown): string {
  if (!(error instanceof DomainError)) throw error;
  const where = error.issues.map((i) => `${i.path.join(".") || "(request)"}: ${i.message}`).join("; ");
  return where ? `${error.message} ${where}` : error.message;
}

const toolResult = (value: unknown) => ({
  content: [{ type: "text" as const, text: JSON.stringify(value, null, 2) }],
  structuredContent: value as Record<string, unknown>,
});
const toolError = (error: unknown) => ({ content: [{ type: "text" as const, text: explain(error) }], isError: true });

async function servedSelector(db: Db, slug: string) {
  const p = await apiGet(db, slug, {});
  return SERVED_LABEL in p.labels ? { label: SERVED_LABEL } : {};
}

/** The rendered Anthropic body as MCP messages: MCP has no system role, so the system text opens the first user turn. */
function toMessages(json: unknown): PromptMessage[] {
  const body = json as {
    system?: string | Array<{ text: string }>;
    messages: Array<{ role: string; content: unknown }>;
  };
  const text = (content: unknown): string =>
    typeof content === "string"
      ? content
      : (content as Array<{ type: string; text?: string; source?: { url?: string } }>)
          .map((p) => (p.type === "text" ? (p.text ?? "") : p.source?.url ? `[image: ${p.source.url}]` : `[${p.type}]`))
          .join("");
  const system = body.system === undefined ? "" : text(body.system);
  const messages: PromptMessage[] = body.messages.map((m) => ({
    role: m.role === "assistant" ? "assistant" : "user",
    content: { type: "text", text: text(m.content) },
  }));
  if (system) messages.unshift({ role: "user", content: { type: "text", text: system } });
  return messages;
}

/**
 * What the caller may see and do: `visibility` hides other users' private prompts (null: all),
 * `labels` limits renders to those labels (a label-limited token; null: any version), and
 * `canRender` is false for a token without the render scope.
 */
export type McpAccess = { visibility: { userId: string } | null; labels: string[] | null; canRender: boolean };
const OPEN: McpAccess = { visibility: null, labels: null, canRender: true };

export async function createPromptServer(db: Db, version: string, access: McpAccess = OPEN): Promise<McpServer> {
  const {
    mcp: { McpServer },
    types: { ErrorCode, GetPromptRequestSchema, ListPromptsRequestSchema, McpError },
  } = await loadMcpSdk();
  /** A prompt the caller may not see answers as one that does not exist. */
  const assertVisible = async (slug: string) => {
    if (!access.visibility) return;
    const p = await db.prompt.findUnique({ where: { slug }, select: { ownerId: true, visibility: true } });
    if (p && !visibleInScope(access.visibility, p)) throw NotFoundError.prompt(slug);
  };
  const assertMayRender = (label: string | undefined) => {
    if (!access.canRender) throw new ForbiddenError("This token may not render: it lacks the render scope.", "scope");
    if (access.labels && (!label || !access.labels.includes(label)))
      throw new ForbiddenError(`This token may render only the labels ${access.labels.join(", ")}.`, "label");
  };

  const mcp = new McpServer(
    { name: "prompt-builder", title: "Prompt Builder", version },
    {
      capabilities: { prompts: { listChanged: true }, tools: { listChanged: false } },
      instructions:
        "Prompts from a Prompt Builder library. prompts/get renders a prompt (its production version when labelled) with your arguments; the tools search, fetch and render any version or label.",
    },
  );

  mcp.server.setRequestHandler(ListPromptsRequestSchema, async (request) => {
    const page = await apiList(
      db,
      listQuerySchema.parse({ limit: PAGE_SIZE, cursor: request.params?.cursor }),
      access.visibility,
    ).catch((error: unknown) => {
      throw new McpError(ErrorCode.InvalidParams, explain(error));
    });
    const prompts = await Promise.all(
      page.items.map(async (item) => {
        const p = await apiGet(db, item.slug, SERVED_LABEL in item.labels ? { label: SERVED_LABEL } : {});
        return {
          name: p.slug,
          title: p.name,
          description: p.description || undefined,
          arguments: p.version.variables.map((v) => ({
            name: v.name,
            description:
              [
                v.description,
                v.type === "list" ? "one item per line" : "",
                v.type === "enum" ? `one of ${v.enumValues.join(", ")}` : "",
              ]
                .filter(Boolean)
                .join(" — ") || undefined,
            required: v.required && v.default === undefined,
          })),
        };
      }),
    );
    return { prompts, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  });

  mcp.server.setRequestHandler(GetPromptRequestSchema, async (request): Promise<GetPromptResult> => {
    const { name, arguments: args = {} } = request.params;
    try {
      await assertVisible(name);
      const selector = await servedSelector(db, name);
      assertMayRender(selector.label);
      const p = await apiGet(db, name, selector);
      const variables: Record<string, unknown> = {};
      for (const v of p.version.variables) {
        const raw = args[v.name];
        if (raw !== undefined && raw !== "") variables[v.name] = parseFormValue(v.type, raw);
      }
      const unknown = Object.keys(args).filter((k) => !p.version.variables.some((v) => v.name === k));
      if (unknown.length) throw new McpError(ErrorCode.InvalidParams, `Unknown arguments: ${unknown.join(", ")}.`);
      const out = await apiRender(db, name, renderRequestSchema.parse({ ...selector, target: "anthropic", variables }));
      countRender("mcp");
      return { description: `${p.name} (v${out.version})`, messages: toMessages(out.json) };
    } catch (error) {
      if (error instanceof McpError) throw error;
      throw new McpError(ErrorCode.InvalidParams, explain(error));
    }
  });

  const selector = {
    slug: z.string().min(1).max(200).describe("The prompt's slug, from search_prompts."),
    label: z.string().max(40).optional().describe("A label such as production; default: the newest version."),
    version: z.number().int().min(1).max(2_147_483_647).optional().describe("A version number instead of a label."),
  };

  mcp.registerTool(
    "search_prompts",
    {
      title: "Search prompts",
      description:
        "Full-text search over the library: names, descriptions, tags and text. Empty query lists everything.",
      inputSchema: {
        query: z.string().max(200).default("").describe("Words to search for."),
        tag: z.string().max(40).default("").describe("Only prompts with this tag."),
        label: z.string().max(40).default("").describe("Only prompts with this label."),
        limit: z.number().int().min(1).max(50).default(20),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, tag, label, limit }) => {
      try {
        const page = await apiList(db, listQuerySchema.parse({ q: query, tag, label, limit }), access.visibility);
        return toolResult({
          prompts: page.items.map(({ slug, name, description, tags, labels, headVersion }) => ({
            slug,
            name,
            description,
            tags,
            labels,
            headVersion,
          })),
        });
      } catch (error) {
        return toolError(error);
      }
    },
  );

  mcp.registerTool(
    "get_prompt",
    {
      title: "Get a prompt",
      description: "One prompt at a label or version: its sections, variables and model settings.",
      inputSchema: selector,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ slug, label, version }) => {
      try {
        await assertVisible(slug);
        return toolResult(await apiGet(db, slug, { label, version }));
      } catch (error) {
        return toolError(error);
      }
    },
  );

  mcp.registerTool(
    "render_prompt",
    {
      title: "Render a prompt",
      description:
        "Renders a prompt with variables to a target: plain text, Markdown, XML, an OpenAI or Anthropic request body, or a .prompt file.",
      inputSchema: {
        ...selector,
        variables: z.record(z.string(), z.unknown()).default({}).describe("Values by variable name."),
        target: z.enum(TARGETS).default("plain"),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ slug, label, version, variables, target }) => {
      try {
        const request = parseInput(
          renderRequestSchema,
          { label, version, variables, target },
          {
            message: "Invalid render request.",
          },
        );
        await assertVisible(slug);
        assertMayRender(request.label);
        const out = await apiRender(db, slug, request);
        countRender("mcp");
        return toolResult(out);
      } catch (error) {
        return toolError(error);
      }
    },
  );

  return mcp;
}
