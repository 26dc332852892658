import { describe, expect, it } from "vitest";
import { snippetsFor } from "./UsePromptPanel";

const base = {
  origin: "https://prompts.example.com",
  slug: "refund-reply",
  variables: [
    { name: "question", type: "text" },
    { name: "urgent", type: "boolean", default: false },
  ],
};

describe("snippetsFor", () => {
  it("addresses the label, and the curl body is the JSON the render API takes", () => {
    const s = snippetsFor({ ...base, authEnabled: false }, "production");
    expect(s.getUrl).toBe("https://prompts.example.com/api/v1/prompts/refund-reply?label=production");
    const body = /-d '(.*)'$/m.exec(s.curl)![1]!;
    expect(JSON.parse(body)).toEqual({
      label: "production",
      target: "plain",
      variables: { question: "<question>", urgent: false },
    });
    expect(s.curl).not.toContain("Authorization");
    expect(s.python).toContain('"urgent": False');
    expect(s.openai).toContain("chat.completions.create(rendered.json)");
    expect(s.anthropic).toContain('messages.create(**rendered["json"])');
    expect(JSON.parse(s.mcp)).toEqual({
      mcpServers: { "prompt-builder": { type: "http", url: "https://prompts.example.com/mcp" } },
    });
  });

  it("sends the token when accounts are on, and no label for the newest version", () => {
    const s = snippetsFor({ ...base, authEnabled: true }, null);
    expect(s.getUrl).toBe("https://prompts.example.com/api/v1/prompts/refund-reply");
    expect(s.curl).toContain('-H "Authorization: Bearer $PROMPT_BUILDER_TOKEN"');
    expect(s.fetch).toContain("Authorization: `Bearer ${process.env.PROMPT_BUILDER_TOKEN}`");
    expect(s.python).toContain("os.environ['PROMPT_BUILDER_TOKEN']");
    expect(JSON.parse(s.mcp).mcpServers["prompt-builder"].headers.Authorization).toMatch(/^Bearer /);
  });

  it("quotes a single quote in the shell body", () => {
    const s = snippetsFor(
      { ...base, variables: [{ name: "q", type: "text", default: "it's" }], authEnabled: false },
      null,
    );
    expect(s.curl).toContain(`"q":"it'\\''s"`);
  });
});
