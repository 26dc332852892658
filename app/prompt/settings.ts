/**
 * Model settings checked against the chosen model's limits (models.ts). The zod schema in draft.ts
 * checks the shape; this checks what the provider's API would refuse.
 */
import type { ModelSettings } from "./draft";
import type { PromptIssue } from "./issues";
import { getModel, modelOrFallback } from "./models";

export function validateModelSettings(settings: ModelSettings): PromptIssue[] {
  const issues: PromptIssue[] = [];
  const known = getModel(settings.model);
  const model = modelOrFallback(settings.model);
  const err = (field: string, message: string, severity: "error" | "warning" = "error") =>
    issues.push({ severity, code: "setting", message, path: ["modelSettings", field] });

  if (!known)
    err(
      "model",
      `"${settings.model}" is not in the model list; limits and prices are those of ${model.label.replace(/ \(unknown model\)$/, "")} and the token count is an estimate`,
      "warning",
    );

  if (settings.temperature !== undefined) {
    if (model.sampling === "none") err("temperature", `${model.label} does not accept temperature; remove it`);
    else if (settings.temperature < 0 || settings.temperature > model.temperatureMax)
      err("temperature", `must be between 0 and ${model.temperatureMax} for ${model.label}`);
  }
  if (settings.topP !== undefined) {
    if (model.sampling === "none") err("topP", `${model.label} does not accept top_p; remove it`);
    else if (settings.topP < 0 || settings.topP > 1) err("topP", "must be between 0 and 1");
  }
  if (model.sampling === "either" && settings.temperature !== undefined && settings.topP !== undefined) {
    err("topP", `${model.label} accepts temperature or top_p, not both; keep one`);
  }
  if (settings.maxTokens !== undefined) {
    if (!Number.isInteger(settings.maxTokens) || settings.maxTokens < 1)
      err("maxTokens", "must be a whole number of at least 1");
    else if (settings.maxTokens > model.maxOutputTokens)
      err("maxTokens", `${model.label} writes at most ${model.maxOutputTokens.toLocaleString("en")} output tokens`);
  }
  if (settings.stop.length) {
    if (model.maxStop === 0) err("stop", `${model.label} does not accept stop sequences; remove them`);
    else if (settings.stop.length > model.maxStop)
      err("stop", `${model.label} accepts at most ${model.maxStop} stop sequences`);
    settings.stop.forEach((s, i) => {
      if (s === "")
        issues.push({
          severity: "error",
          code: "setting",
          message: "a stop sequence cannot be empty",
          path: ["modelSettings", "stop", i],
        });
    });
  }
  return issues;
}
