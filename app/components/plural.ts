/** "1 prompt" / "3 prompts": the word for `count` by the language's plural rules (Intl.PluralRules). */
const rules = new Intl.PluralRules("en");

export function plural(count: number, one: string, other: string): string {
  return rules.select(count) === "one" ? one : other;
}
