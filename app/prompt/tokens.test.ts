import { countTokens as o200k } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import type { RenderedSection } from "./render";
import { formatCost, loadEncoder, MESSAGE_OVERHEAD, REPLY_OVERHEAD, TokenCounter, tokenBudget } from "./tokens";

const rs = (
  index: number,
  kind: RenderedSection["kind"],
  text: string | null,
  extra: Partial<RenderedSection> = {},
): RenderedSection => ({
  index,
  kind,
  title: "",
  enabled: true,
  text,
  examples: [],
  ...extra,
});

describe("encoders", () => {
  it("loads o200k and cl100k once each and counts with them", async () => {
    const a = await loadEncoder("o200k_base");
    expect(await loadEncoder("o200k_base")).toBe(a);
    expect(a.countTokens("Hello, world!")).toBe(4);
    const c = await loadEncoder("cl100k_base");
    expect(c.countTokens("Hello, world!")).toBe(4);
    // The encodings differ on non-English text.
    expect(a.countTokens("Привет, как дела? 你好世界")).not.toBe(c.countTokens("Привет, как дела? 你好世界"));
  });

  it("counts unicode and emoji", async () => {
    const counter = new TokenCounter(await loadEncoder("o200k_base"));
    expect(counter.count("👩‍👩‍👧‍👦")).toBe(o200k("👩‍👩‍👧‍👦"));
    expect(counter.count("")).toBe(0);
  });

  it("memoises counts by text", async () => {
    let calls = 0;
    const counter = new TokenCounter({ encoding: "o200k_base", countTokens: (t) => (calls++, t.length) }, 2);
    counter.count("ab");
    counter.count("ab");
    expect(calls).toBe(1);
    counter.count("c");
    counter.count("d"); // evicts "ab"
    counter.count("ab");
    expect(calls).toBe(4);
  });
});

describe("tokenBudget", () => {
  it("counts sections, framing, room left and cost for an OpenAI model", async () => {
    const counter = new TokenCounter(await loadEncoder("o200k_base"));
    const sections = [
      rs(0, "system", "You are terse."),
      rs(1, "context", "Facts."),
      rs(2, "task", "Do it."),
      rs(3, "task", "off", { enabled: false }),
    ];
    const b = tokenBudget(sections, { model: "gpt-4o", maxTokens: 1000, stop: [] }, counter);
    const per = [o200k("You are terse."), o200k("Facts."), o200k("Do it."), 0];
    expect(b.sections.map((s) => s.tokens)).toEqual(per);
    expect(b.exact).toBe(true);
    // 2 messages + reply priming + one separator between the two user sections.
    expect(b.overhead).toBe(2 * MESSAGE_OVERHEAD + REPLY_OVERHEAD + 1);
    expect(b.inputTokens).toBe(per.reduce((x, y) => x + y, 0) + b.overhead);
    expect(b.reservedOutput).toBe(1000);
    expect(b.remaining).toBe(128_000 - b.inputTokens - 1000);
    expect(b.fits).toBe(true);
    expect(b.inputCost).toBeCloseTo((b.inputTokens * 2.5) / 1e6, 10);
    expect(b.maxOutputCost).toBeCloseTo((1000 * 10) / 1e6, 10);
  });

  it("counts example pairs as messages", async () => {
    const counter = new TokenCounter(await loadEncoder("o200k_base"));
    const b = tokenBudget(
      [rs(0, "examples", "", { examples: [{ input: "2+2", output: "4" }] })],
      { model: "gpt-4o", stop: [] },
      counter,
    );
    expect(b.sections[0]!.tokens).toBe(o200k("2+2") + o200k("4") + 2 * MESSAGE_OVERHEAD);
  });

  it("marks Anthropic counts as estimates and scales them", async () => {
    const counter = new TokenCounter(await loadEncoder("o200k_base"));
    const text = "An estimate, because the tokenizer is not public.";
    const b = tokenBudget([rs(0, "task", text)], { model: "claude-sonnet-5-5", stop: [] }, counter);
    expect(b.exact).toBe(false);
    expect(b.sections[0]!.tokens).toBe(Math.ceil(o200k(text) * 1.2));
    expect(b.reservedOutput).toBe(16_000);
  });

  it("reports a prompt that does not fit", async () => {
    const counter = new TokenCounter({ encoding: "cl100k_base", countTokens: () => 16_000 });
    const b = tokenBudget([rs(0, "task", "huge")], { model: "gpt-3.5-turbo", maxTokens: 1000, stop: [] }, counter);
    expect(b.fits).toBe(false);
    expect(b.remaining).toBeLessThan(0);
  });

  it("counts a 100k-token prompt quickly", async () => {
    const counter = new TokenCounter(await loadEncoder("o200k_base"));
    const para = "Token budgets matter when prompts grow: every section adds context, cost and latency. ";
    const sections = Array.from({ length: 50 }, (_, i) => rs(i, "context", `Section ${i}. ${para.repeat(130)}`));
    const t0 = performance.now();
    const b = tokenBudget(sections, { model: "gpt-4.1", stop: [] }, counter);
    const first = performance.now() - t0;
    expect(b.inputTokens).toBeGreaterThan(100_000);
    // A keystroke in one section recounts only that section.
    sections[7] = { ...sections[7]!, text: sections[7]!.text + "x" };
    const t1 = performance.now();
    tokenBudget(sections, { model: "gpt-4.1", stop: [] }, counter);
    const again = performance.now() - t1;
    expect(again).toBeLessThan(first);
  });
});

describe("formatCost", () => {
  it("shows small amounts with enough digits", () => {
    expect(formatCost(0)).toBe("$0");
    expect(formatCost(0.00001)).toBe("<$0.0001");
    expect(formatCost(0.01234)).toBe("$0.0123");
    expect(formatCost(12.345)).toBe("$12.35");
  });
});
