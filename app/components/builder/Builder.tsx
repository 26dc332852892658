/**
 * The prompt builder: sections on the left, budget and preview / variables / model settings on
 * the right, save bar on top. All rendering and counting is the shared domain code in
 * app/prompt/, run as you type in a Web Worker (see usePreview.ts). Saving posts the draft as
 * JSON through a Remix <Form> (SaveBar), so it also works before the page's JavaScript has loaded.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type { PromptDraft, PromptMeta } from "~/prompt/draft";
import type { PromptIssue } from "~/prompt/issues";
import { validateModelSettings } from "~/prompt/settings";
import { slugify } from "~/prompt/slug";
import { BuilderSidePanel } from "./BuilderSidePanel";
import { errorCount, warningCount } from "./issue-counts";
import { carryPreviewValues } from "./local-store";
import { LocalDraftNotice } from "./LocalDraftNotice";
import { SaveBar } from "./SaveBar";
import { SaveProblem, type ActionResult } from "./SaveProblem";
import { SectionList } from "./SectionList";
import { ShortcutHelp } from "./ShortcutHelp";
import type { SideTab } from "./SideTabs";
import type { TemplateEditorRef } from "./TemplateEditor";
import { Toast } from "./Toast";
import { useBuilderDraft } from "./useBuilderDraft";
import { useCollapsedSections } from "./useCollapsedSections";
import { useDraftChange } from "./useDraftChange";
import { useGoToIssue } from "./useGoToIssue";
import { useLeaveGuard } from "./useLeaveGuard";
import { useLocalDraft } from "./useLocalDraft";
import { usePreview } from "./usePreview";
import { usePreviewOutput } from "./usePreviewOutput";
import { usePreviewValues } from "./usePreviewValues";
import { useSectionActions } from "./useSectionActions";
import { useModKeyLabel, useShortcuts } from "./useShortcuts";
import { useToast } from "./useToast";
import { useVariableRename } from "./useVariableRename";
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

export function Builder(props: BuilderProps) {
  const { mode, storageKey, baseVersion, partials, actionData } = props;
  const { draft, replaceDraft, meta, setMeta, editBase, setEditBase, dirty, isInitial, restore, reset } =
    useBuilderDraft(props.initialDraft, props.initialMeta, baseVersion);
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
  const editors = useRef(new Map<string, TemplateEditorRef>());
  const formRef = useRef<HTMLFormElement>(null);

  const { result, budget, tokenizerLoading, renderedOn, requestNow, setChat } = usePreview(
    draft,
    values,
    partials,
    props.renderWorkerUrl,
  );
  const setDraft = useDraftChange(draft, replaceDraft, requestNow);
  const settingsIssues = useMemo(() => validateModelSettings(draft.modelSettings), [draft.modelSettings]);
  const allIssues = useMemo(() => [...(result?.issues ?? []), ...settingsIssues], [result, settingsIssues]);

  const localDraft = useLocalDraft({
    storageKey,
    baseVersion,
    draft,
    meta,
    editBase,
    dirty,
    isInitial,
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

  const exportEnabled = usePublicEnv()?.ENABLE_EXPORT !== false;
  const output = usePreviewOutput({ result, draft, meta, title: props.title, notify });
  const rename = useVariableRename({ draft, setDraft, partials, values, setValue, notify });
  const { target, copy } = output;
  useEffect(() => setChat(target === "openai" || target === "anthropic"), [setChat, target]);
  const goTo = useGoToIssue({ draft, editors, showTab: setSideTab, expand });

  useShortcuts({
    save: () => formRef.current?.requestSubmit(),
    copy: () => void copy(),
    help: () => setHelpOpen(true),
  });

  const fieldError = (name: string) => actionData?.issues?.find((i) => i.path[0] === name)?.message;

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
          if (localDraft.offer?.kind === "restored") reset();
          localDraft.discard();
        }}
      />

      <div className="builder-grid">
        <SectionList
          sections={draft.sections}
          issues={result?.issues ?? EMPTY_ISSUES}
          undeclared={result?.undeclared ?? EMPTY_NAMES}
          errorCount={errorCount(allIssues)}
          warningCount={warningCount(allIssues)}
          collapsed={collapsed}
          budget={budget}
          drag={drag}
          actions={actions}
          onAdd={addSection}
        />
        <BuilderSidePanel
          tab={sideTab}
          onTab={setSideTab}
          draft={draft}
          onChange={setDraft}
          values={values}
          onValue={setValue}
          rename={rename}
          result={result}
          issues={allIssues}
          settingsIssues={settingsIssues}
          budget={budget}
          tokenizerLoading={tokenizerLoading}
          output={output}
          exportEnabled={exportEnabled}
          onGoTo={goTo}
          announce={announce}
          runSlug={mode === "edit" ? storageKey : undefined}
        />
      </div>

      <Toast toast={toast} onDismiss={dismiss} />
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} mod={mod} />
    </div>
  );
}
