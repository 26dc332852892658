/**
 * Validates values against the schemas of an OpenAPI 3.1 document with ajv (JSON Schema 2020-12,
 * the dialect OpenAPI 3.1 and `z.toJSONSchema` use). Strict mode: a keyword or format ajv does not
 * know fails the compile instead of passing silently; a `$ref` that does not resolve fails too.
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

type Json = Record<string, unknown>;
export type SchemaError = { path: string; message: string };

const COMPONENTS = "https://openapi.test/components.json";
const COMPONENT_REF = /"#\/components\/schemas\//g;

export function openApiSchemas(doc: { components: { schemas: Record<string, unknown> } }) {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  // ajv resolves refs between schemas it knows: the components become one schema's $defs, and
  // "#/components/schemas/X" refs point there.
  const toAjv = (schema: unknown): Json | boolean =>
    JSON.parse(JSON.stringify(schema).replace(COMPONENT_REF, `"${COMPONENTS}#/$defs/`));
  ajv.addSchema({ $id: COMPONENTS, $defs: toAjv(doc.components.schemas) as Json });
  const compiled = new Map<string, ValidateFunction>();

  function compile(schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema);
    let fn = compiled.get(key);
    if (!fn) {
      fn = ajv.compile(toAjv(schema));
      compiled.set(key, fn);
    }
    return fn;
  }

  return {
    /** Throws when the schema is not one ajv can judge (unknown keyword or format, dangling $ref). */
    compile,
    /** The ways `value` breaks `schema`; empty when it fits. */
    validate(value: unknown, schema: unknown): SchemaError[] {
      const fn = compile(schema);
      if (fn(value)) return [];
      return (fn.errors ?? []).map((e) => ({
        path: e.instancePath || "/",
        message: `${e.message ?? e.keyword} (${e.schemaPath})`,
      }));
    },
  };
}

/** Every schema an OpenAPI document uses: components, parameters, request and response bodies. */
export function schemasIn(doc: {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = Object.keys(doc.components.schemas).map((name) => [
    `components ${name}`,
    { $ref: `#/components/schemas/${name}` },
  ]);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item) as Array<[string, Json]>) {
      if (typeof op !== "object" || op === null) continue;
      for (const p of (op.parameters as Array<{ name: string; schema: unknown }> | undefined) ?? [])
        out.push([`${method} ${path} parameter ${p.name}`, p.schema]);
      const request = (op.requestBody as { content?: Record<string, { schema: unknown }> } | undefined)?.content ?? {};
      for (const [type, media] of Object.entries(request))
        out.push([`${method} ${path} request ${type}`, media.schema]);
      for (const [status, response] of Object.entries(
        (op.responses as Record<string, { content?: Record<string, { schema: unknown }> }>) ?? {},
      )) {
        for (const [type, media] of Object.entries(response.content ?? {}))
          out.push([`${method} ${path} ${status} ${type}`, media.schema]);
      }
    }
  }
  return out;
}
