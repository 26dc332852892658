import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact";

describe("redactSecrets", () => {
  it.each([
    ["Authorization failed for Bearer pb_abc.DEF-123", "Bearer [redacted]"],
    ["login with password=hunter2&user=x", "password=[redacted]"],
    ['{"token": "s3cr3t"}', '"token": "[redacted]"'],
    ["connect postgresql://app:pw@db:5432/app failed", "postgresql://[redacted]@db:5432/app"],
    ["session 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc expired", "session [redacted] expired"],
  ])("redacts %j", (input, expected) => {
    const out = redactSecrets(input);
    expect(out).toContain(expected);
    expect(out).not.toMatch(/hunter2|s3cr3t|:pw@|pb_abc|9f8e7d6c5b4a/);
  });

  it("leaves ordinary messages alone", () => {
    const msg = "Invalid `prisma.promptVersion.findFirst()` invocation: no such table: main.PromptVersion at line 12";
    expect(redactSecrets(msg)).toBe(msg);
  });
});
