const rules = new Intl.PluralRules("en");

/** "1 error", "3 errors": the count and its word by the language's plural rules (Intl.PluralRules). */
export function plural(count: number, one: string, other: string): string {
  return `${count} ${rules.select(count) === "one" ? one : other}`;
}
