import type { VariableType } from "~/prompt/draft";

export type RawValue = string | boolean;

/** Raw form text for a typed value. */
export function toRaw(type: VariableType, value: unknown): RawValue {
  if (value === undefined || value === null) return type === "boolean" ? "" : "";
  if (type === "boolean") return typeof value === "boolean" ? value : String(value);
  if (Array.isArray(value)) return value.join("\n");
  return String(value);
}
