import { describe, expect, it } from "vitest";
import {
  ftsMatchExpression,
  MAX_DOCUMENT_CHARS,
  queryWords,
  searchDocument,
  searchWords,
  tsQueryExpression,
} from "./search-text";

describe("search text", () => {
  it("splits on everything but letters, digits and marks, lower-cased", () => {
    expect(searchWords("Hello, World! support/email user@example.com well-known v1.2 snake_case {{topic}}")).toEqual([
      "hello",
      "world",
      "support",
      "email",
      "user",
      "example",
      "com",
      "well",
      "known",
      "v1",
      "2",
      "snake",
      "case",
      "topic",
    ]);
    expect(searchWords("Café CRÈME naïve 東京")).toEqual(["café", "crème", "naïve", "東京"]);
  });

  it("builds one document from name, description and sections, examples included", () => {
    const doc = searchDocument({
      name: "Support Reply",
      description: "Answers customers",
      sections: [{ title: "Role", template: "You are {{tone}}.", examples: [{ input: "Hi", output: "Hello!" }] }],
    });
    expect(doc).toBe("support reply answers customers role you are tone hi hello");
  });

  it("caps the document and drops absurdly long words", () => {
    const doc = searchDocument({ name: "x", sections: [{ template: "word ".repeat(50_000) + "y".repeat(500) }] });
    expect(doc.length).toBeLessThanOrEqual(MAX_DOCUMENT_CHARS);
    expect(doc.endsWith("word")).toBe(true);
  });

  it("turns a query into safe prefix expressions for both databases", () => {
    const words = queryWords(' "Refund" OR NEAR(x) refund* -drop ');
    expect(words).toEqual(["refund", "or", "near", "x", "drop"]);
    expect(ftsMatchExpression(words)).toBe('"refund"* "or"* "near"* "x"* "drop"*');
    expect(tsQueryExpression(words)).toBe("refund:* & or:* & near:* & x:* & drop:*");
    expect(queryWords("  ,,, ")).toEqual([]);
  });
});
