/**
 * The OpenAI and Anthropic bodies checked against the official SDKs' request types. The type-level
 * assertions below are checked by tsc (`npm run typecheck`, which CI runs), not by vitest: if either
 * SDK's request shape stops accepting what targets.ts builds, typechecking fails. The tests check
 * the values of real bodies against the APIs' rules.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import { describe, expect, expectTypeOf, it } from "vitest";
import { renderDraft } from "./render";
import { STARTER_TEMPLATES } from "./starters";
import { toAnthropicRequest, toOpenAIRequest } from "./targets";

// Every body we can build is a valid non-streaming create request of the SDK...
expectTypeOf<ReturnType<typeof toOpenAIRequest>["body"]>().toExtend<OpenAI.ChatCompletionCreateParamsNonStreaming>();
expectTypeOf<ReturnType<typeof toAnthropicRequest>["body"]>().toExtend<Anthropic.MessageCreateParamsNonStreaming>();
// ...and the SDK types are strict enough to refuse a wrong body (were they `any`, these lines would
// not be errors and tsc would report the unused @ts-expect-error).
type WrongAnthropicBody = { model: string; max_tokens: string; messages: Array<{ role: "user"; content: string }> };
// @ts-expect-error Anthropic's max_tokens is a number.
expectTypeOf<WrongAnthropicBody>().toExtend<Anthropic.MessageCreateParamsNonStreaming>();
// @ts-expect-error OpenAI chat requests need messages.
expectTypeOf<{ model: string }>().toExtend<OpenAI.ChatCompletionCreateParamsNonStreaming>();

describe("request bodies match the official SDK types", () => {
  for (const starter of STARTER_TEMPLATES) {
    it(`${starter.slug}: bodies satisfy the SDK request types and API rules`, async () => {
      const r = await renderDraft(starter.draft, { values: starter.sampleValues });
      const openai = toOpenAIRequest(r.conversation!, starter.draft.modelSettings)
        .body satisfies OpenAI.ChatCompletionCreateParamsNonStreaming;
      const anthropic = toAnthropicRequest(r.conversation!, starter.draft.modelSettings)
        .body satisfies Anthropic.MessageCreateParamsNonStreaming;

      expect(openai.messages.length).toBeGreaterThan(0);
      expect(openai.messages.at(-1)!.role).toBe("user");
      expect(openai.messages.filter((m) => m.role === "system" || m.role === "developer").length).toBeLessThanOrEqual(
        1,
      );
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
