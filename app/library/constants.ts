/** Library constants the pages need in the browser too (the *.server modules are not bundled there). */
export const SORTS = ["relevance", "updated", "created", "name"] as const;
export type Sort = (typeof SORTS)[number];
export const SORT_LABEL: Record<Sort, string> = {
  relevance: "Best match",
  updated: "Last change",
  created: "Newest",
  name: "Name",
};
export const STANDARD_LABELS = ["production", "staging"] as const;
export const TRASH_DAYS = 30;
