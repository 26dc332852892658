/**
 * The OpenAI and Anthropic bodies checked against the official SDKs' request types. tsc checks
 * this file (it is part of `npm run typecheck`): if either SDK's request shape stops accepting what
 * targets.ts builds, typechecking fails. The runtime part checks the values of real examples.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { renderDraft } from "./render";
import { STARTER_TEMPLATES } from "./starters";
import { toAnthropicRequest, toOpenAIRequest, type AnthropicMessagesRequest, type OpenAIChatRequest } from "./targets";

// Type level: every body we can build is assignable to the SDK's non-streaming create params.
type Assignable<A, B> = A extends B ? true : false;
const openaiOk: Assignable<OpenAIChatRequest, OpenAI.ChatCompletionCreateParamsNonStreaming> = true;
const anthropicOk: Assignable<AnthropicMessagesRequest, Anthropic.MessageCreateParamsNonStreaming> = true;

describe("request bodies match the official SDK types", () => {
  it("compile-time checks hold", () => {
    expect(openaiOk && anthropicOk).toBe(true);
  });

  for (const starter of STARTER_TEMPLATES) {
    it(`${starter.slug}: bodies satisfy the SDK request types and API rules`, async () => {
      const r = await renderDraft(starter.draft, { values: starter.sampleValues });
      const openai = toOpenAIRequest(r.sections, starter.draft.modelSettings) satisfies OpenAI.ChatCompletionCreateParamsNonStreaming;
      const anthropic = toAnthropicRequest(r.sections, starter.draft.modelSettings) satisfies Anthropic.MessageCreateParamsNonStreaming;

      expect(openai.messages.length).toBeGreaterThan(0);
      expect(openai.messages.at(-1)!.role).toBe("user");
      expect(openai.messages.filter((m) => m.role === "system" || m.role === "developer").length).toBeLessThanOrEqual(1);
      expect(openai.stop?.length ?? 0).toBeLessThanOrEqual(4);

      // Anthropic: system is top level, never a message; turns alternate and start and end with the user.
      expect(anthropic.messages.every((m) => (m.role as string) !== "system")).toBe(true);
      expect(anthropic.messages[0]!.role).toBe("user");
      expect(anthropic.messages.at(-1)!.role).toBe("user");
      anthropic.messages.forEach((m, i) => i > 0 && expect(m.role).not.toBe(anthropic.messages[i - 1]!.role));
      expect(anthropic.max_tokens).toBeGreaterThan(0);
      expect(anthropic.messages.every((m) => m.content.length > 0)).toBe(true);
    });
  }
});
