import type { ListItemType, VariableType } from "~/prompt/draft";
import { isJsonValued } from "~/prompt/form-values";

export type RawValue = string | boolean;

/** Raw form text for a typed value (JSON for objects, conversations and lists of objects). */
export function toRaw(type: VariableType, value: unknown, itemType?: ListItemType): RawValue {
  if (value === undefined || value === null) return "";
  if (isJsonValued(type, itemType)) return JSON.stringify(value, null, 2);
  if (type === "boolean") return typeof value === "boolean" ? value : String(value);
  if (Array.isArray(value)) return value.map(String).join("\n");
  return String(value);
}
