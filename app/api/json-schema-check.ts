/**
 * A small JSON Schema (draft 2020-12) validator for the subset `z.toJSONSchema` emits, used by the
 * tests to hold real API responses against the OpenAPI document. A keyword it does not know is an
 * error, never silently ignored, so a schema it cannot judge fails loudly instead of passing.
 */
export type SchemaError = { path: string; message: string };
type Schema = boolean | Record<string, unknown>;

const ANNOTATIONS = new Set(["$schema", "$id", "title", "description", "default", "examples", "example", "format", "deprecated", "readOnly", "writeOnly"]);
const KNOWN = new Set([
  "$ref",
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
]);

/** The value a local `$ref` ("#/components/schemas/X") points at in `root`, or undefined. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  const parts = ref.slice(1).split("/").slice(1).map((p) => decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = root;
  for (const part of parts) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "object":
      return typeOf(value) === "object";
    default:
      return typeOf(value) === type;
  }
}

/** ECMA-262 regular expressions, as JSON Schema says; unicode mode where the pattern allows it. */
function pattern(source: string): RegExp {
  try {
    return new RegExp(source, "u");
  } catch {
    return new RegExp(source);
  }
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Errors of `value` against `schema` (empty when it is valid); `$ref`s resolve against `root`. */
export function validate(value: unknown, schema: Schema, root: unknown = schema, path = ""): SchemaError[] {
  if (schema === true) return [];
  if (schema === false) return [{ path, message: "no value is allowed here" }];
  const errors: SchemaError[] = [];
  const fail = (message: string) => errors.push({ path: path || "/", message });
  for (const key of Object.keys(schema)) {
    if (!KNOWN.has(key) && !ANNOTATIONS.has(key)) throw new Error(`json-schema-check: unsupported keyword "${key}" at ${path || "/"}`);
  }
  const s = schema as Record<string, unknown> & {
    properties?: Record<string, Schema>;
    required?: string[];
    additionalProperties?: Schema;
    propertyNames?: Schema;
    items?: Schema;
    prefixItems?: Schema[];
    anyOf?: Schema[];
    oneOf?: Schema[];
    allOf?: Schema[];
    not?: Schema;
  };

  if (typeof s.$ref === "string") {
    const target = resolvePointer(root, s.$ref);
    if (target === undefined) throw new Error(`json-schema-check: $ref ${s.$ref} does not resolve`);
    errors.push(...validate(value, target as Schema, root, path));
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(value, t))) {
      fail(`must be ${types.join(" or ")}, is ${typeOf(value)}`);
      return errors;
    }
  }
  if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => equal(e, value))) fail(`must be one of ${JSON.stringify(s.enum)}`);
  if ("const" in s && !equal(s.const, value)) fail(`must be ${JSON.stringify(s.const)}`);

  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof s.minLength === "number" && length < s.minLength) fail(`must have at least ${s.minLength} characters`);
    if (typeof s.maxLength === "number" && length > s.maxLength) fail(`must have at most ${s.maxLength} characters`);
    if (typeof s.pattern === "string" && !pattern(s.pattern).test(value)) fail(`must match ${s.pattern}`);
  }
  if (typeof value === "number") {
    if (typeof s.minimum === "number" && value < s.minimum) fail(`must be >= ${s.minimum}`);
    if (typeof s.maximum === "number" && value > s.maximum) fail(`must be <= ${s.maximum}`);
    if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) fail(`must be > ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) fail(`must be < ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === "number" && !Number.isInteger(value / s.multipleOf)) fail(`must be a multiple of ${s.multipleOf}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && value.length < s.minItems) fail(`must have at least ${s.minItems} items`);
    if (typeof s.maxItems === "number" && value.length > s.maxItems) fail(`must have at most ${s.maxItems} items`);
    const prefix = s.prefixItems ?? [];
    value.forEach((item, i) => {
      const itemSchema = i < prefix.length ? prefix[i] : s.items;
      if (itemSchema !== undefined) errors.push(...validate(item, itemSchema, root, `${path}/${i}`));
    });
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!Object.hasOwn(obj, key)) fail(`must have property "${key}"`);
    for (const [key, v] of Object.entries(obj)) {
      const at = `${path}/${key}`;
      if (s.propertyNames !== undefined) errors.push(...validate(key, s.propertyNames, root, `${at} (name)`));
      if (s.properties && Object.hasOwn(s.properties, key)) errors.push(...validate(v, s.properties[key]!, root, at));
      else if (s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) errors.push({ path: at, message: "is not an allowed property" });
        else errors.push(...validate(v, s.additionalProperties, root, at));
      }
    }
  }
  if (s.allOf) for (const sub of s.allOf) errors.push(...validate(value, sub, root, path));
  if (s.anyOf && !s.anyOf.some((sub) => validate(value, sub, root, path).length === 0)) fail("must match one of anyOf");
  if (s.oneOf) {
    const matches = s.oneOf.filter((sub) => validate(value, sub, root, path).length === 0).length;
    if (matches !== 1) fail(`must match exactly one of oneOf (matches ${matches})`);
  }
  if (s.not !== undefined && validate(value, s.not, root, path).length === 0) fail("must not match the not schema");
  return errors;
}

/** Every `$ref` string anywhere in `node`. */
export function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === "object") {
    for (const [key, v] of Object.entries(node)) {
      if (key === "$ref" && typeof v === "string") out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}
