import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Problem } from "~/components/library/problems";
import type { Readiness } from "~/health.server";
import { libraryQuerySchema } from "~/models/library.server";
import type { AnthropicMessagesRequest, OpenAIChatRequest } from "~/prompt/targets";
import {
  type anthropicMessagesRequestSchema,
  listQuerySchema,
  type openAIChatRequestSchema,
  parseListQuery,
  parsePromptSelector,
  type problemSchema,
  queryObject,
  type readinessSchema,
  renderRequestSchema,
} from "./schemas";

// What the server sends must fit what the document says (checked by tsc, which includes tests).
const fits = <Schema extends z.ZodType>() => <T extends z.output<Schema>>(value: T) => value;
export const typeParity = {
  problem: (p: Problem) => fits<typeof problemSchema>()(p),
  readiness: (r: Readiness) => fits<typeof readinessSchema>()(r),
  openai: (b: OpenAIChatRequest) => fits<typeof openAIChatRequestSchema>()(b),
  anthropic: (b: AnthropicMessagesRequest) => fits<typeof anthropicMessagesRequestSchema>()(b),
};

function withoutDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).filter(([k]) => k !== "description").map(([k, v]) => [k, withoutDescriptions(v)]));
  }
  return node;
}

describe("API schemas", () => {
  it("list query parameters are the library page's, shape and behaviour", () => {
    for (const io of ["input", "output"] as const) {
      expect(withoutDescriptions(z.toJSONSchema(listQuerySchema, { io, unrepresentable: "any" }))).toEqual(
        withoutDescriptions(z.toJSONSchema(libraryQuerySchema, { io, unrepresentable: "any" })),
      );
    }
    const samples: Array<Record<string, unknown>> = [
      {},
      { q: "support", tag: " x ", folder: "a/b", label: "production", favorite: "on", sort: "name", cursor: "abc", limit: "5" },
      { favorite: "0" },
      { folder: "a/../b" },
      { limit: "1000" },
      { limit: "2.5" },
      { sort: "random" },
      { q: "x".repeat(201) },
    ];
    for (const sample of samples) {
      const a = listQuerySchema.safeParse(sample);
      const b = libraryQuerySchema.safeParse(sample);
      expect(a.success, JSON.stringify(sample)).toBe(b.success);
      if (a.success && b.success) expect(a.data).toEqual(b.data);
      else expect(a.error!.issues).toEqual(b.error!.issues);
    }
  });

  it("reads query parameters: list filters treat empty as absent, the selector does not", () => {
    const params = new URLSearchParams("q=&tag=support&limit=5&other=1");
    expect(queryObject(params, ["q", "tag", "limit"], true)).toEqual({ tag: "support", limit: "5" });
    expect(queryObject(params, ["q", "tag"], false)).toEqual({ q: "", tag: "support" });
    expect(parseListQuery(params)).toMatchObject({ q: "", tag: "support", limit: 5, favorite: false });
    expect(parsePromptSelector(new URLSearchParams("version=3"))).toEqual({ version: 3 });
    expect(() => parsePromptSelector(new URLSearchParams("version="))).toThrow(z.ZodError);
    expect(() => parsePromptSelector(new URLSearchParams("label=production&version=2"))).toThrow(/not both/);
  });

  it("the render body is strict and has defaults", () => {
    expect(renderRequestSchema.parse({})).toEqual({ variables: {}, target: "plain" });
    expect(renderRequestSchema.safeParse({ unknown: 1 }).success).toBe(false);
    expect(renderRequestSchema.safeParse({ variables: { a: { nested: true } } }).success).toBe(false);
  });
});
