import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { InvalidError } from "~/prompt/errors";
import type { Problem } from "~/prompt/problem";
import type { Readiness } from "~/server/health.server";
import type { AnthropicMessagesRequest, OpenAIChatRequest } from "~/prompt/targets";
import {
  type anthropicMessagesRequestSchema,
  listQuerySchema,
  type openAIChatRequestSchema,
  parseListQuery,
  parseNoQuery,
  parsePromptSelector,
  parseSnippetSelector,
  type problemSchema,
  queryObject,
  type readinessSchema,
  renderRequestSchema,
} from "./schemas";

// What the server sends must fit what the document says (checked by tsc, which includes tests).
const fits =
  <Schema extends z.ZodType>() =>
  <T extends z.output<Schema>>(value: T) =>
    value;
export const typeParity = {
  problem: (p: Problem) => fits<typeof problemSchema>()(p),
  readiness: (r: Readiness) => fits<typeof readinessSchema>()(r),
  openai: (b: OpenAIChatRequest) => fits<typeof openAIChatRequestSchema>()(b),
  anthropic: (b: AnthropicMessagesRequest) => fits<typeof anthropicMessagesRequestSchema>()(b),
};

describe("API schemas", () => {
  it("list query parameters (shared by the library page): defaults, conversions and refusals", () => {
    expect(listQuerySchema.parse({})).toEqual({ q: "", tag: "", folder: "", label: "", favorite: false, limit: 30 });
    expect(
      listQuerySchema.parse({
        q: "support",
        tag: " x ",
        folder: "a/b",
        label: "production",
        favorite: "on",
        sort: "name",
        cursor: "abc",
        limit: "5",
      }),
    ).toEqual({
      q: "support",
      tag: "x",
      folder: "a/b",
      label: "production",
      favorite: true,
      sort: "name",
      cursor: "abc",
      limit: 5,
    });
    expect(listQuerySchema.parse({ favorite: "0" }).favorite).toBe(false);
    const refused: Array<[Record<string, unknown>, string]> = [
      [{ folder: "a/../b" }, "folder"],
      [{ limit: "1000" }, "limit"],
      [{ limit: "2.5" }, "limit"],
      [{ sort: "random" }, "sort"],
      [{ q: "x".repeat(201) }, "q"],
    ];
    for (const [sample, field] of refused) {
      const result = listQuerySchema.safeParse(sample);
      expect(result.success, JSON.stringify(sample)).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual([field]);
    }
  });

  it("reads query parameters: list filters treat empty as absent, the selector does not", () => {
    const params = new URLSearchParams("q=&tag=support&limit=5&other=1");
    expect(queryObject(params, ["q", "tag", "limit"], true)).toEqual({ tag: "support", limit: "5" });
    expect(queryObject(params, ["q", "tag"], false)).toEqual({ q: "", tag: "support" });
    expect(() => parseListQuery(params)).toThrow(
      expect.objectContaining({ malformed: true, issues: [expect.objectContaining({ path: ["other"] })] }),
    );
    expect(parseListQuery(new URLSearchParams("q=&tag=support&limit=5"))).toMatchObject({
      q: "",
      tag: "support",
      limit: 5,
      favorite: false,
    });
    // A misspelt selector must not silently serve the head.
    expect(() => parsePromptSelector(new URLSearchParams("lable=production"))).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: ["lable"] })] }),
    );
    expect(parseSnippetSelector(new URLSearchParams("version=2"))).toEqual({ version: 2 });
    expect(() => parseSnippetSelector(new URLSearchParams("v=2"))).toThrow(InvalidError);
    expect(() => parseNoQuery(new URLSearchParams("limit=5"))).toThrow(InvalidError);
    expect(parseNoQuery(new URLSearchParams(""))).toBeUndefined();
    expect(parsePromptSelector(new URLSearchParams("version=3"))).toEqual({ version: 3 });
    expect(() => parsePromptSelector(new URLSearchParams("version="))).toThrow(InvalidError);
    expect(() => parsePromptSelector(new URLSearchParams("label=production&version=2"))).toThrow(
      expect.objectContaining({
        malformed: true,
        issues: [expect.objectContaining({ path: ["label"], message: expect.stringMatching(/not both/) })],
      }),
    );
  });

  it("the render body is strict and has defaults", () => {
    expect(renderRequestSchema.parse({})).toEqual({ variables: {}, target: "plain", strict: true });
    expect(renderRequestSchema.parse({ strict: false }).strict).toBe(false);
    expect(renderRequestSchema.safeParse({ strict: "no" }).success).toBe(false);
    expect(renderRequestSchema.safeParse({ unknown: 1 }).success).toBe(false);
    // Objects of scalars are values (object variables); deeper nesting is not.
    expect(renderRequestSchema.safeParse({ variables: { a: { field: true } } }).success).toBe(true);
    expect(renderRequestSchema.safeParse({ variables: { a: { nested: { deep: 1 } } } }).success).toBe(false);
    expect(renderRequestSchema.safeParse({ variables: { a: [[1]] } }).success).toBe(false);
  });
});
