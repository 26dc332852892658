import { describe, expect, it } from "vitest";
import { modelSettingsSchema } from "./draft";
import { costOf, DEFAULT_MODEL_ID, FIGURES_AS_OF, getModel, MODELS, modelOrFallback } from "./models";
import { validateModelSettings } from "./settings";

const fields = (s: Parameters<typeof validateModelSettings>[0]) =>
  validateModelSettings(s)
    .filter((i) => i.severity === "error")
    .map((i) => String(i.path[1]));

describe("models.ts", () => {
  it("has a date and sane figures for every model", () => {
    expect(FIGURES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Set(MODELS.map((m) => m.id)).size).toBe(MODELS.length);
    for (const m of MODELS) {
      expect(m.contextWindow).toBeGreaterThan(m.maxOutputTokens);
      expect(m.defaultMaxTokens).toBeLessThanOrEqual(m.maxOutputTokens);
      expect(m.inputPerMTok).toBeGreaterThan(0);
      expect(m.outputPerMTok).toBeGreaterThanOrEqual(m.inputPerMTok);
      expect(m.exactTokenizer).toBe(m.provider === "openai");
    }
    expect(getModel(DEFAULT_MODEL_ID)).toBeDefined();
    expect(costOf(1_000_000, 2.5)).toBe(2.5);
  });

  it("falls back for unknown ids, guessing the provider", () => {
    expect(modelOrFallback("claude-future-9")).toMatchObject({ provider: "anthropic", exactTokenizer: false });
    expect(modelOrFallback("my-finetune")).toMatchObject({ provider: "openai", exactTokenizer: false });
  });
});

describe("validateModelSettings", () => {
  it("accepts valid settings", () => {
    expect(
      fields({ model: "gpt-4o", temperature: 1.5, topP: 0.9, maxTokens: 16_384, stop: ["a", "b", "c", "d"] }),
    ).toEqual([]);
  });

  it("rejects values beyond the model's limits", () => {
    expect(fields({ model: "gpt-4o", maxTokens: 20_000, stop: ["1", "2", "3", "4", "5"] })).toEqual([
      "maxTokens",
      "stop",
    ]);
    expect(fields({ model: "claude-haiku-4-5", temperature: 1.5, stop: [] })).toEqual(["temperature"]);
    expect(fields({ model: "claude-haiku-4-5", temperature: 0.5, topP: 0.5, stop: [] })).toEqual(["topP"]);
  });

  it("rejects sampling parameters and stop sequences a model does not accept", () => {
    expect(fields({ model: "o3", temperature: 0.2, topP: 0.5, stop: ["x"] })).toEqual(["temperature", "topP", "stop"]);
    expect(fields({ model: "claude-opus-5-5", temperature: 0.2, stop: [] })).toEqual(["temperature"]);
  });

  it("warns about an unknown model", () => {
    const issues = validateModelSettings({ model: "mystery", stop: [] });
    expect(issues).toEqual([expect.objectContaining({ severity: "warning", path: ["modelSettings", "model"] })]);
  });

  it("works on what the zod schema produces", () => {
    const parsed = modelSettingsSchema.parse({ model: "gpt-4.1" });
    expect(fields(parsed)).toEqual([]);
  });
});
