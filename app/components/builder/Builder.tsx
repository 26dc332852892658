/**
 * The prompt builder: sections on the left, budget and preview / variables / model settings on
 * the right, save bar on top. All rendering and counting is the shared domain code in
 * app/prompt/, run as you type in a Web Worker (see usePreview.ts). Saving posts the draft as
 * JSON through a Remix <Form> (SaveBar), so it also works before the page's JavaScript has loaded.
 */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type Dispatch,
  type SetStateAction,
} from "react";
import type { PromptDraft, PromptMeta, Variable } from "~/prompt/draft";
import { groupIssues, type PromptIssue } from "~/prompt/issues";
import { normalizeDraft, withIds } from "~/prompt/sections";
import { validateModelSettings } from "~/prompt/settings";
import { slugify } from "~/prompt/slug";
import { carryPreviewValues, type StoredDraft } from "./local-store";
import { LocalDraftNotice } from "./LocalDraftNotice";
import { ModelSettingsPanel } from "./ModelSettingsPanel";
import { PreviewPanel } from "./PreviewPanel";
import { RunPanel } from "./RunPanel";
import { SaveBar } from "./SaveBar";
import { SaveProblem, type ActionResult } from "./SaveProblem";
import { SectionList } from "./SectionList";
import { ShortcutHelp } from "./ShortcutHelp";
import { SideTabPanel, SideTabs, type SideTab } from "./SideTabs";
import type { TemplateEditorRef } from "./TemplateEditor";
import { Toast } from "./Toast";
import { TokenMeter } from "./TokenMeter";
import { useCollapsedSections } from "./useCollapsedSections";
import { useLeaveGuard } from "./useLeaveGuard";
import { useLocalDraft } from "./useLocalDraft";
import { markChange, usePreview } from "./usePreview";
import { usePreviewOutput } from "./usePreviewOutput";
import { usePreviewValues } from "./usePreviewValues";
import { useSectionActions } from "./useSectionActions";
import { useModKeyLabel, useShortcuts } from "./useShortcuts";
import { useToast } from "./useToast";
import { VariablesPanel } from "./VariablesPanel";
import { usePublicEnv } from "../usePublicEnv";

// The routes' action answer; declared in SaveProblem.tsx, which shows it.
export type { ActionResult };

export type BuilderProps = {
  mode: "new" | "edit";
  /** Key for the local draft in localStorage: the slug, or "new:<starter>". */
  storageKey: string;
  initialDraft: PromptDraft;
  initialMeta: PromptMeta;
  initialValues?: Record<string, unknown>;
  /** Where a saved prompt keeps its test values; the builder sends them there as they change. */
  testValuesUrl?: string;
  baseVersion: number;
  partials: Record<string, string>;
  /** /build/workers/render-<hash>.js from the loader; null renders through the server. */
  renderWorkerUrl: string | null;
  actionData?: ActionResult | null;
  title: string;
  savedVersion?: number | null;
  promptHref?: string;
};

const EMPTY_ISSUES: PromptIssue[] = [];
const EMPTY_NAMES: string[] = [];

function snapshot(draft: PromptDraft, meta: PromptMeta) {
  return JSON.stringify([normalizeDraft(draft), meta]);
}

const editable = (draft: PromptDraft): PromptDraft => ({ ...draft, sections: withIds(draft.sections) });

/**
 * Changes the draft and sends it to the preview at once, before React renders it; consecutive
 * changes in one tick build on each other.
 */
function useDraftChange(
  draft: PromptDraft,
  replaceDraft: Dispatch<SetStateAction<PromptDraft>>,
  requestNow: (next: PromptDraft) => void,
) {
  const latest = useRef(draft);
  useLayoutEffect(() => {
    latest.current = draft;
  }, [draft]);
  return useCallback(
    (fn: (d: PromptDraft) => PromptDraft) => {
      markChange();
      const next = fn(latest.current);
      latest.current = next;
      requestNow(next);
      replaceDraft(next);
    },
    [replaceDraft, requestNow],
  );
}

export function Builder(props: BuilderProps) {
  const { mode, storageKey, baseVersion, partials, actionData } = props;
  const [draft, replaceDraft] = useState<PromptDraft>(() => editable(props.initialDraft));
  const [meta, setMeta] = useState<PromptMeta>(props.initialMeta);
  const [editBase, setEditBase] = useState(baseVersion);
  const [sideTab, setSideTab] = useState<SideTab>("preview");
  const [helpOpen, setHelpOpen] = useState(false);
  const [announcement, announce] = useState("");
  const { values, setValue } = usePreviewValues(
    storageKey,
    mode,
    props.initialDraft.variables,
    props.initialValues,
    props.testValuesUrl,
  );
  const { collapsed, toggle: toggleCollapsed, expand } = useCollapsedSections();
  const { toast, notify, dismiss } = useToast();
  const mod = useModKeyLabel();
  const initialSnapshot = useRef(snapshot(props.initialDraft, props.initialMeta));
  const editors = useRef(new Map<string, TemplateEditorRef>());
  const formRef = useRef<HTMLFormElement>(null);

  const { result, pending, budget, tokenizerLoading, renderedOn, requestNow, setChat } = usePreview(
    draft,
    values,
    partials,
    props.renderWorkerUrl,
  );
  const setDraft = useDraftChange(draft, replaceDraft, requestNow);
  const settingsIssues = useMemo(() => validateModelSettings(draft.modelSettings), [draft.modelSettings]);
  const allIssues = useMemo(() => [...(result?.issues ?? []), ...settingsIssues], [result, settingsIssues]);

  // Serialising a large draft costs ~1 ms: once per change, not once per render.
  const changed = useMemo(() => snapshot(draft, meta) !== initialSnapshot.current, [draft, meta]);
  const dirty = changed || editBase !== baseVersion;

  const restore = (stored: StoredDraft) => {
    replaceDraft(editable(stored.draft));
    setMeta(stored.meta);
    setEditBase(stored.baseVersion);
  };
  const localDraft = useLocalDraft({
    storageKey,
    baseVersion,
    draft,
    meta,
    editBase,
    dirty,
    isInitial: (stored) => snapshot(stored.draft, stored.meta) === initialSnapshot.current,
    restore,
    actionData,
  });
  useLeaveGuard(() => dirty && !localDraft.isHandedOff());

  const { actions, drag, addSection } = useSectionActions({
    draft,
    setDraft,
    undeclared: result?.undeclared ?? EMPTY_NAMES,
    partials,
    editors,
    toggleCollapsed,
    announce,
    notify,
  });

  // ---- variables -------------------------------------------------------------------------------
  const setVariables = useCallback((variables: Variable[]) => setDraft((d) => ({ ...d, variables })), [setDraft]);
  const declare = (names: string[]) => {
    if (!result) return;
    const inferred = result.declarations.filter((v) => names.includes(v.name));
    setDraft((d) => ({
      ...d,
      variables: [...d.variables, ...inferred.filter((v) => !d.variables.some((x) => x.name === v.name))],
    }));
    announce(`Declared ${inferred.map((v) => v.name).join(", ")}`);
  };

  const exportEnabled = usePublicEnv()?.ENABLE_EXPORT !== false;
  const { target, setTarget, output, targetWarnings, copy, copyLabel, download } = usePreviewOutput({
    result,
    draft,
    meta,
    title: props.title,
    notify,
  });
  useEffect(() => setChat(target === "openai" || target === "anthropic"), [setChat, target]);

  /** Shows where an issue is: the variable's field, or the line in the section's editor. */
  const goTo = (issue: PromptIssue) => {
    if (issue.path[0] === "values" || issue.path[0] === "variables") {
      setSideTab("variables");
      setTimeout(() => {
        const i = draft.variables.findIndex((v) => v.name === issue.variable);
        document.getElementById(issue.path[0] === "values" ? `var-${i}-value` : `var-${i}-name`)?.focus();
      }, 30);
      return;
    }
    const s = issue.sectionIndex !== undefined ? draft.sections[issue.sectionIndex] : undefined;
    if (!s?.id) return;
    expand(s.id);
    setTimeout(() => editors.current.get(s.id!)?.focusAt(issue.line, issue.column), 30);
  };

  useShortcuts({
    save: () => formRef.current?.requestSubmit(),
    copy: () => void copy(),
    help: () => setHelpOpen(true),
  });

  const fieldError = (name: string) => actionData?.issues?.find((i) => i.path[0] === name)?.message;
  // Each problem once, however many places it occurs (issue 9: 3 missing values are 3 problems).
  const errors = (list: readonly PromptIssue[]) => groupIssues(list.filter((i) => i.severity === "error")).length;
  const variableProblems = errors(
    allIssues.filter((i) => i.code === "undeclared" || i.path[0] === "variables" || i.path[0] === "values"),
  );

  return (
    <div className="builder" data-renderer={renderedOn}>
      <div className="sr-only" aria-live="polite" role="status">
        {announcement}
      </div>

      <SaveBar
        mode={mode}
        formRef={formRef}
        draft={draft}
        meta={meta}
        onMeta={setMeta}
        initialDraft={props.initialDraft}
        initialMeta={props.initialMeta}
        editBase={editBase}
        baseVersion={baseVersion}
        dirty={dirty}
        savedVersion={props.savedVersion}
        title={props.title}
        promptHref={props.promptHref}
        fieldError={fieldError}
        mod={mod}
        onSubmit={() => {
          localDraft.handOff();
          // The new prompt's page picks these up: its slug is not known yet, so key them by the likely one.
          if (mode === "new") carryPreviewValues(slugify(meta.name), values);
        }}
        onHelp={() => setHelpOpen(true)}
      />

      <SaveProblem
        result={actionData}
        promptHref={props.promptHref}
        onOpenConflict={localDraft.handOff}
        onRebase={setEditBase}
      />
      <LocalDraftNotice
        offer={localDraft.offer}
        baseVersion={baseVersion}
        onRestore={localDraft.accept}
        onDiscard={() => {
          if (localDraft.offer?.kind === "restored") {
            replaceDraft(editable(props.initialDraft));
            setMeta(props.initialMeta);
          }
          localDraft.discard();
        }}
      />

      <div className="builder-grid">
        <SectionList
          sections={draft.sections}
          issues={result?.issues ?? EMPTY_ISSUES}
          undeclared={result?.undeclared ?? EMPTY_NAMES}
          errorCount={errors(allIssues)}
          warningCount={allIssues.filter((i) => i.severity === "warning").length}
          collapsed={collapsed}
          budget={budget}
          drag={drag}
          actions={actions}
          onAdd={addSection}
        />

        <aside className="builder-side" aria-label="Budget, preview, variables and model">
          <TokenMeter budget={budget} loading={tokenizerLoading} />
          <SideTabs
            selected={sideTab}
            onSelect={setSideTab}
            variableCount={draft.variables.length}
            problems={{ preview: 0, variables: variableProblems, model: errors(settingsIssues), run: 0 }}
          />
          <SideTabPanel tab="preview" selected={sideTab}>
            <PreviewPanel
              target={target}
              onTarget={setTarget}
              output={output}
              targetWarnings={targetWarnings}
              pending={pending && !result}
              issues={allIssues}
              sections={draft.sections}
              onGoTo={goTo}
              onCopy={() => void copy()}
              onDownload={exportEnabled ? download : undefined}
              copyLabel={copyLabel}
            />
          </SideTabPanel>
          <SideTabPanel tab="variables" selected={sideTab} className="panel">
            <h2 className="panel-title">Variables</h2>
            <VariablesPanel
              variables={draft.variables}
              values={values}
              undeclared={result?.undeclared ?? EMPTY_NAMES}
              issues={allIssues}
              onChangeVariables={setVariables}
              onChangeValue={setValue}
              onDeclare={declare}
            />
          </SideTabPanel>
          <SideTabPanel tab="model" selected={sideTab} className="panel">
            <h2 className="panel-title">Model settings</h2>
            <ModelSettingsPanel
              settings={draft.modelSettings}
              issues={settingsIssues}
              onChange={(modelSettings) => setDraft((d) => ({ ...d, modelSettings }))}
            />
          </SideTabPanel>
          <SideTabPanel tab="run" selected={sideTab} className="panel">
            <h2 className="panel-title">Run</h2>
            <RunPanel
              active={sideTab === "run"}
              draft={draft}
              values={values}
              errorCount={errors(allIssues)}
              estimatedInputTokens={budget?.inputTokens ?? null}
              slug={mode === "edit" ? storageKey : undefined}
            />
          </SideTabPanel>
        </aside>
      </div>

      <Toast toast={toast} onDismiss={dismiss} />
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} mod={mod} />
    </div>
  );
}
