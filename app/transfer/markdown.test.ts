import { describe, expect, it } from "vitest";
import { versionMarkdown } from "./markdown";

describe("versionMarkdown", () => {
  it("writes title, facts, a variables table, one heading per section and the examples", () => {
    const md = versionMarkdown({
      name: "Refund reply",
      slug: "refund-reply",
      description: "Answers refund requests.",
      version: 3,
      message: "shorter",
      createdAt: "2026-01-02T03:04:05.678Z",
      labels: ["production"],
      tags: ["support"],
      draft: {
        sections: [
          { id: "a", kind: "system", title: "Role", template: "You help | politely.", enabled: true, examples: [] },
          {
            id: "b",
            kind: "examples",
            title: "",
            template: "",
            enabled: true,
            examples: [{ input: "Hi", output: "```x```" }],
          },
          {
            id: "c",
            kind: "task",
            title: "# Task\nnow",
            template: "Answer {{question}}",
            enabled: false,
            examples: [],
          },
        ],
        variables: [
          {
            name: "question",
            type: "enum",
            required: true,
            enumValues: ["a", "b"],
            description: "What | they ask",
            default: "a",
          },
        ],
        modelSettings: { model: "gpt-4o", temperature: 0.3, stop: [] },
      },
    });
    expect(md).toContain("# Refund reply\n\nAnswers refund requests.");
    expect(md).toContain("- **Version:** 3 (`production`)");
    expect(md).toContain('| `question` | enum (a, b) | yes | "a" | What \\| they ask |');
    expect(md).toContain("## 1. Role\n\n*System*\n\n```handlebars\nYou help | politely.\n```");
    expect(md).toContain("## 2. Examples");
    expect(md).toContain("   ````\n   ```x```\n   ````");
    expect(md).toContain("## 3. Task now (disabled)");
    expect(md.endsWith("\n")).toBe(true);
  });
});
