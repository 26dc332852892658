const rules = new Intl.PluralRules("en");

/** "prompt" / "prompts": the word for `count` by the language's plural rules (Intl.PluralRules). */
export function plural(count: number, one: string, other: string): string {
  return rules.select(count) === "one" ? one : other;
}

/** "1 error" / "3 errors": the count and its word. */
export function counted(count: number, one: string, other: string): string {
  return `${count} ${plural(count, one, other)}`;
}
