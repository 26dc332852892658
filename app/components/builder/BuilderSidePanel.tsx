/**
 * The builder's right-hand column: the token budget, then the preview, variables, model settings
 * and run on tabs, each tab with a count of the errors to fix there.
 */
import { useCallback } from "react";
import type { PromptDraft, Variable } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import type { TokenBudget } from "~/prompt/tokens";
import type { PreviewResult } from "~/workers/render-protocol";
import { errorCount, variableErrorCount } from "./issue-counts";
import { ModelSettingsPanel } from "./ModelSettingsPanel";
import { PreviewPanel } from "./PreviewPanel";
import { RunPanel } from "./RunPanel";
import { SideTabPanel, SideTabs, type SideTab } from "./SideTabs";
import { TokenMeter } from "./TokenMeter";
import type { usePreviewOutput } from "./usePreviewOutput";
import type { RawValue } from "./raw-value";
import type { VariableRename } from "./useVariableRename";
import { VariablesPanel } from "./VariablesPanel";

const EMPTY_NAMES: string[] = [];

type Props = {
  tab: SideTab;
  onTab: (tab: SideTab) => void;
  draft: PromptDraft;
  /** Changes the draft (and sends it to the preview). */
  onChange: (fn: (d: PromptDraft) => PromptDraft) => void;
  values: Record<string, RawValue>;
  onValue: (name: string, raw: RawValue | undefined) => void;
  /** Renaming a variable offers to update its uses. */
  rename: VariableRename;
  /** The latest preview; null until the first one arrives. */
  result: PreviewResult | null;
  /** Every issue of the draft, the model settings' included. */
  issues: readonly PromptIssue[];
  settingsIssues: readonly PromptIssue[];
  budget: TokenBudget | null;
  tokenizerLoading: boolean;
  output: ReturnType<typeof usePreviewOutput>;
  /** Absent when the instance does not allow exports (ENABLE_EXPORT=false). */
  exportEnabled: boolean;
  onGoTo: (issue: PromptIssue) => void;
  /** Tells screen readers what just happened. */
  announce: (text: string) => void;
  /** The saved prompt's slug, so runs are recorded against it (absent for a new prompt). */
  runSlug?: string;
};

export function BuilderSidePanel({
  tab,
  onTab,
  draft,
  onChange,
  values,
  onValue,
  rename,
  result,
  issues,
  settingsIssues,
  budget,
  tokenizerLoading,
  output,
  exportEnabled,
  onGoTo,
  announce,
  runSlug,
}: Props) {
  const setVariables = useCallback((variables: Variable[]) => onChange((d) => ({ ...d, variables })), [onChange]);
  /** Declares variables the template uses, with the types the preview inferred for them. */
  const declare = (names: string[]) => {
    if (!result) return;
    const inferred = result.declarations.filter((v) => names.includes(v.name));
    onChange((d) => ({
      ...d,
      variables: [...d.variables, ...inferred.filter((v) => !d.variables.some((x) => x.name === v.name))],
    }));
    announce(`Declared ${inferred.map((v) => v.name).join(", ")}`);
  };

  return (
    <aside className="builder-side" aria-label="Budget, preview, variables and model">
      <TokenMeter budget={budget} loading={tokenizerLoading} />
      <SideTabs
        selected={tab}
        onSelect={onTab}
        variableCount={draft.variables.length}
        problems={{ preview: 0, variables: variableErrorCount(issues), model: errorCount(settingsIssues), run: 0 }}
      />
      <SideTabPanel tab="preview" selected={tab}>
        <PreviewPanel
          target={output.target}
          onTarget={output.setTarget}
          output={output.output}
          targetWarnings={output.targetWarnings}
          pending={result === null}
          issues={issues}
          sections={draft.sections}
          onGoTo={onGoTo}
          onCopy={() => void output.copy()}
          onDownload={exportEnabled ? output.download : undefined}
          copyLabel={output.copyLabel}
        />
      </SideTabPanel>
      <SideTabPanel tab="variables" selected={tab} className="panel">
        <h2 className="panel-title">Variables</h2>
        <VariablesPanel
          variables={draft.variables}
          values={values}
          undeclared={result?.undeclared ?? EMPTY_NAMES}
          issues={issues}
          onChangeVariables={setVariables}
          onChangeValue={onValue}
          onDeclare={declare}
          rename={rename}
        />
      </SideTabPanel>
      <SideTabPanel tab="model" selected={tab} className="panel">
        <h2 className="panel-title">Model settings</h2>
        <ModelSettingsPanel
          settings={draft.modelSettings}
          issues={settingsIssues}
          onChange={(modelSettings) => onChange((d) => ({ ...d, modelSettings }))}
        />
      </SideTabPanel>
      <SideTabPanel tab="run" selected={tab} className="panel">
        <h2 className="panel-title">Run</h2>
        <RunPanel
          active={tab === "run"}
          draft={draft}
          values={values}
          errorCount={errorCount(issues)}
          estimatedInputTokens={budget?.inputTokens ?? null}
          slug={runSlug}
        />
      </SideTabPanel>
    </aside>
  );
}
