import { describe, expect, it } from "vitest";
import { z } from "zod";
import { collectRefs, resolvePointer, validate } from "./json-schema-check";

const ok = (value: unknown, schema: object, root?: unknown) => expect(validate(value, schema as never, root)).toEqual([]);
const bad = (value: unknown, schema: object, root?: unknown) => expect(validate(value, schema as never, root).length).toBeGreaterThan(0);

describe("json-schema-check", () => {
  it("checks types, enums, consts and bounds", () => {
    ok(1, { type: "integer" });
    bad(1.5, { type: "integer" });
    ok(null, { type: ["string", "null"] });
    bad(1, { type: ["string", "null"] });
    bad([], { type: "object" });
    ok("a", { enum: ["a", "b"] });
    bad("c", { enum: ["a", "b"] });
    bad("x", { const: "y" });
    bad("", { type: "string", minLength: 1 });
    bad("abcd", { type: "string", maxLength: 3 });
    ok("ab", { type: "string", pattern: "^a" });
    bad("ba", { type: "string", pattern: "^a" });
    bad(0, { type: "number", minimum: 1 });
    bad(5, { type: "number", maximum: 4 });
    bad([1, 2], { type: "array", maxItems: 1 });
  });

  it("checks objects: required, additional and property names", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false };
    ok({ a: "x" }, schema);
    bad({}, schema);
    bad({ a: "x", b: 1 }, schema);
    bad({ a: 1 }, schema);
    bad({ constructor: 1, a: "x" }, schema);
    ok({ k: 1 }, { type: "object", propertyNames: { maxLength: 1 }, additionalProperties: { type: "number" } });
    bad({ long: 1 }, { type: "object", propertyNames: { maxLength: 1 }, additionalProperties: { type: "number" } });
    bad({ k: "x" }, { type: "object", additionalProperties: { type: "number" } });
  });

  it("checks arrays, combinators and refs", () => {
    bad([1, "x"], { type: "array", items: { type: "number" } });
    ok(["x", 1], { type: "array", prefixItems: [{ type: "string" }], items: { type: "number" } });
    ok(1, { anyOf: [{ type: "string" }, { type: "number" }] });
    bad(true, { anyOf: [{ type: "string" }, { type: "number" }] });
    bad(1, { oneOf: [{ type: "number" }, { type: "integer" }] });
    bad(1, { allOf: [{ type: "number" }, { minimum: 2 }] });
    const root = { components: { schemas: { A: { type: "string" }, "a/b": { type: "number" } } } };
    ok("x", { $ref: "#/components/schemas/A" }, root);
    bad(1, { $ref: "#/components/schemas/A" }, root);
    expect(resolvePointer(root, "#/components/schemas/a~1b")).toEqual({ type: "number" });
    expect(() => validate(1, { $ref: "#/components/schemas/Nope" }, root)).toThrow(/does not resolve/);
    expect(collectRefs({ a: [{ $ref: "#/x" }], b: { c: { $ref: "#/y" } } })).toEqual(["#/x", "#/y"]);
  });

  it("refuses keywords it does not know instead of passing them", () => {
    expect(() => validate({}, { type: "object", dependentRequired: { a: ["b"] } })).toThrow(/unsupported keyword/);
  });

  it("agrees with zod on what z.toJSONSchema emits", () => {
    const schema = z.object({
      name: z.string().min(1).max(5),
      n: z.number().int().min(0).optional(),
      when: z.iso.datetime(),
      kind: z.enum(["a", "b"]),
      tags: z.array(z.string()).max(2),
      value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]),
      map: z.record(z.string().max(3), z.number()),
      maybe: z.string().nullable(),
      status: z.literal("ok"),
    });
    const json = z.toJSONSchema(schema, { io: "output" });
    const good = { name: "a", when: "2025-01-02T03:04:05.678Z", kind: "a", tags: [], value: ["x"], map: { abc: 1 }, maybe: null, status: "ok" };
    const variants: unknown[] = [
      good,
      { ...good, n: 3 },
      { ...good, n: -1 },
      { ...good, n: 1.5 },
      { ...good, name: "" },
      { ...good, name: "toolong" },
      { ...good, when: "yesterday" },
      { ...good, kind: "c" },
      { ...good, tags: ["a", "b", "c"] },
      { ...good, value: { x: 1 } },
      { ...good, map: { long: 1 } },
      { ...good, maybe: 1 },
      { ...good, status: "no" },
      { ...good, extra: 1 },
      { name: "a" },
    ];
    for (const v of variants) {
      expect(validate(v, json as never).length === 0, JSON.stringify(v)).toBe(schema.strict().safeParse(v).success);
    }
  });
});
