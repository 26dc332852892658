import { describe, expect, it } from "vitest";
import { promptMetaSchema } from "./draft";
import {
  MAX_TAG_LENGTH,
  MAX_TAGS,
  normalizeTag,
  normalizeTags,
  tagListSchema,
  tagNameSchema,
  splitTagField,
} from "./tags";

describe("tag rule", () => {
  it("stores a tag trimmed and in lower case", () => {
    expect(tagNameSchema.parse("  Customer-Support ")).toBe("customer-support");
    expect(tagNameSchema.parse("Ünïcode tag")).toBe("ünïcode tag");
    expect(normalizeTag("  SQL ")).toBe("sql");
  });

  it("refuses empty tags, commas and control characters", () => {
    for (const bad of ["", "   ", "a,b", "tab\there", "new\nline"])
      expect(tagNameSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(tagNameSchema.safeParse("").error?.issues[0]?.message).toBe("is required");
    expect(tagNameSchema.safeParse("a,b").error?.issues[0]?.message).toBe(
      "must not contain a comma or a control character",
    );
  });

  it(`allows at most ${MAX_TAG_LENGTH} characters, counted after trimming`, () => {
    expect(tagNameSchema.parse(` ${"x".repeat(MAX_TAG_LENGTH)} `)).toBe("x".repeat(MAX_TAG_LENGTH));
    expect(tagNameSchema.safeParse("x".repeat(MAX_TAG_LENGTH + 1)).error?.issues[0]?.message).toBe(
      `must be at most ${MAX_TAG_LENGTH} characters`,
    );
  });

  it(`allows at most ${MAX_TAGS} tags on a prompt, in the builder's meta too`, () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    expect(tagListSchema.safeParse(tags(MAX_TAGS)).success).toBe(true);
    expect(tagListSchema.safeParse(tags(MAX_TAGS + 1)).success).toBe(false);
    const meta = (t: string[]) => promptMetaSchema.safeParse({ name: "n", tags: t });
    expect(meta(tags(MAX_TAGS + 1)).success).toBe(false);
    expect(meta([" Support ", "EMAIL"]).data?.tags).toEqual(["support", "email"]);
  });

  it("normalises a list: no empties, no repeats (case-insensitively), order kept", () => {
    expect(normalizeTags(["b", " A ", "", "a", "B ", "c"])).toEqual(["b", "a", "c"]);
    expect(normalizeTags([])).toEqual([]);
  });
});

describe("splitTagField", () => {
  it("splits a typed field on commas, trimming and dropping empties", () => {
    expect(splitTagField(" Billing, support ,, ,refunds ")).toEqual(["Billing", "support", "refunds"]);
    expect(splitTagField("")).toEqual([]);
  });
});
