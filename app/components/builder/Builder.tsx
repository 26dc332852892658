/**
 * The prompt builder: sections on the left, budget and preview / variables / model settings on
 * the right, save bar on top. All rendering and counting is the shared domain code in
 * app/prompt/, run as you type in a Web Worker (see usePreview.ts). Saving posts the draft as
 * JSON through a Remix <Form>, so it also works before the page's JavaScript has loaded.
 */
import { Form, useBlocker, useNavigation } from "@remix-run/react";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { PromptDraft, PromptMeta, Section, SectionKind, Variable } from "~/prompt/draft";
import { SECTION_KINDS } from "~/prompt/kinds";
import type { PromptIssue } from "~/prompt/issues";
import type { Problem } from "~/prompt/problem";
import { draftForSave, duplicateSection, insertSection, moveSection, newSection, normalizeDraft, removeSection, updateSection, withIds } from "~/prompt/sections";
import { validateModelSettings } from "~/prompt/settings";
import { KIND_LABEL, renderTarget, TARGET_INFO, type Target } from "~/prompt/targets";
import { copyText, downloadText, isMac } from "./clipboard";
import { ModelSettingsPanel } from "./ModelSettingsPanel";
import { PreviewPanel } from "./PreviewPanel";
import { SectionCard, type SectionActions } from "./SectionCard";
import { ShortcutHelp } from "./ShortcutHelp";
import type { TemplateEditorRef } from "./TemplateEditor";
import { TokenMeter } from "./TokenMeter";
import { markChange, usePreview } from "./usePreview";
import { toRaw, VariablesPanel, type RawValue } from "./VariablesPanel";

export type ActionResult = Problem;

export type BuilderProps = {
  mode: "new" | "edit";
  /** Key for the local draft in localStorage: the slug, or "new:<starter>". */
  storageKey: string;
  initialDraft: PromptDraft;
  initialMeta: PromptMeta;
  initialValues?: Record<string, unknown>;
  baseVersion: number;
  partials: Record<string, string>;
  /** /build/workers/render-<hash>.js from the loader; null renders through the server. */
  renderWorkerUrl: string | null;
  actionData?: ActionResult | null;
  title: string;
  savedVersion?: number | null;
  promptHref?: string;
};

type Stored = { draft: PromptDraft; meta: PromptMeta; baseVersion: number; savedAt: number };

const EMPTY_ISSUES: PromptIssue[] = [];
const SIDE_TABS = ["preview", "variables", "model"] as const;
type SideTab = (typeof SIDE_TABS)[number];

function snapshot(draft: PromptDraft, meta: PromptMeta) {
  return JSON.stringify([normalizeDraft(draft), meta]);
}

/** Mirrors the server's slugify for the common case (a fresh name); used only to carry preview values over. */
function slugGuess(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "prompt"
  );
}

function readStored(key: string): Stored | null {
  try {
    const raw = localStorage.getItem(`pb:draft:${key}`);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

export function Builder(props: BuilderProps) {
  const { mode, storageKey, baseVersion, partials, actionData } = props;
  const [draft, setDraftState] = useState<PromptDraft>(() => ({ ...props.initialDraft, sections: withIds(props.initialDraft.sections) }));
  const [meta, setMeta] = useState<PromptMeta>(props.initialMeta);
  const [editBase, setEditBase] = useState(baseVersion);
  const [values, setValues] = useState<Record<string, RawValue>>(() => {
    const out: Record<string, RawValue> = {};
    for (const v of props.initialDraft.variables) {
      const given = props.initialValues?.[v.name];
      if (given !== undefined) out[v.name] = toRaw(v.type, given);
    }
    return out;
  });
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [target, setTarget] = useState<Target>("plain");
  const [sideTab, setSideTab] = useState<SideTab>("preview");
  const [helpOpen, setHelpOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [toast, setToast] = useState("");
  const [restored, setRestored] = useState<Stored | null>(null);
  const [pendingRestore, setPendingRestore] = useState<Stored | null>(null);
  const [drag, setDrag] = useState<{ from: number; over: number | null; after: boolean } | null>(null);
  const [mod, setMod] = useState("Ctrl");
  const initialSnapshot = useRef(snapshot(props.initialDraft, props.initialMeta));
  const editors = useRef(new Map<string, TemplateEditorRef>());
  const formRef = useRef<HTMLFormElement>(null);
  const draftInput = useRef<HTMLInputElement>(null);
  const metaInput = useRef<HTMLInputElement>(null);
  const submitting = useRef(false);
  const navigation = useNavigation();
  const saving = navigation.state !== "idle" && navigation.formMethod?.toLowerCase() === "post";

  const { result, pending, budget, tokenizerLoading, renderedOn, requestNow } = usePreview(draft, values, partials, props.renderWorkerUrl);

  // The draft including changes React has not rendered yet, so the preview can be requested at
  // once (see requestNow) and consecutive changes in one tick build on each other.
  const latestDraft = useRef(draft);
  useLayoutEffect(() => {
    latestDraft.current = draft;
  }, [draft]);
  const setDraft = useCallback(
    (fn: (d: PromptDraft) => PromptDraft) => {
      markChange();
      const next = fn(latestDraft.current);
      latestDraft.current = next;
      requestNow(next);
      setDraftState(next);
    },
    [requestNow],
  );
  const settingsIssues = useMemo(() => validateModelSettings(draft.modelSettings), [draft.modelSettings]);
  const allIssues = useMemo(() => [...(result?.issues ?? []), ...settingsIssues], [result, settingsIssues]);

  // Serialising a large draft costs ~1 ms: once per change, not once per render.
  const changed = useMemo(() => snapshot(draft, meta) !== initialSnapshot.current, [draft, meta]);
  const dirty = changed || editBase !== baseVersion;

  // ---- local draft: restore on mount, keep while editing -----------------------------------
  useEffect(() => {
    setMod(isMac() ? "⌘" : "Ctrl");
    // Preview values: this prompt's, else those carried over from the page that created it.
    try {
      const own = localStorage.getItem(`pb:values:${storageKey}`);
      const carried = mode === "edit" && !own ? localStorage.getItem(`pb:values:created:${storageKey}`) : null;
      const v = own ?? carried;
      if (v) setValues((cur) => ({ ...cur, ...(JSON.parse(v) as Record<string, RawValue>) }));
      if (carried) localStorage.removeItem(`pb:values:created:${storageKey}`);
    } catch {
      /* ignore */
    }
    const stored = readStored(storageKey);
    if (!stored || snapshot(stored.draft, stored.meta) === initialSnapshot.current) return;
    if (stored.baseVersion === baseVersion) {
      setDraftState({ ...stored.draft, sections: withIds(stored.draft.sections) });
      setMeta(stored.meta);
      setRestored(stored);
    } else {
      setPendingRestore(stored);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const t = setTimeout(() => {
      try {
        if (dirty && !submitting.current) {
          const stored: Stored = { draft: draftForSave(draft), meta, baseVersion: editBase, savedAt: Date.now() };
          localStorage.setItem(`pb:draft:${storageKey}`, JSON.stringify(stored));
        } else if (!dirty) {
          localStorage.removeItem(`pb:draft:${storageKey}`);
        }
        localStorage.setItem(`pb:values:${storageKey}`, JSON.stringify(values));
      } catch {
        /* storage full or disabled */
      }
    }, 300);
    return () => clearTimeout(t);
  }, [draft, meta, values, dirty, storageKey, editBase]);

  // A failed save keeps the work: let the local draft be written again.
  useEffect(() => {
    if (actionData) submitting.current = false;
  }, [actionData]);

  // ---- leaving with unsaved changes ----------------------------------------------------------
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (dirty && !submitting.current) {
        e.preventDefault();
        e.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);

  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !submitting.current && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm("You have unsaved changes. Leave this page and keep them only as a local draft?")) blocker.proceed();
    else blocker.reset();
  }, [blocker]);

  // ---- section actions -------------------------------------------------------------------------
  const sectionsRef = useRef(draft.sections);
  sectionsRef.current = draft.sections;
  const variablesRef = useRef(draft.variables);
  variablesRef.current = draft.variables;
  const partialNames = useMemo(() => Object.keys(partials).sort(), [partials]);
  const detectedRef = useRef<string[]>([]);
  detectedRef.current = result?.undeclared ?? [];

  const announce = (text: string) => setAnnouncement(text);
  const labelOf = (s: Section | undefined) => (s ? s.title || KIND_LABEL[s.kind] : "section");

  const actions: SectionActions = useMemo(
    () => ({
      update: (index, patch) => setDraft((d) => ({ ...d, sections: updateSection(d.sections, index, patch) })),
      move: (from, to) => {
        const list = sectionsRef.current;
        if (to < 0 || to >= list.length || from === to) return;
        setDraft((d) => ({ ...d, sections: moveSection(d.sections, from, to) }));
        announce(`${labelOf(list[from])} moved to position ${to + 1} of ${list.length}`);
      },
      duplicate: (index) => {
        setDraft((d) => ({ ...d, sections: duplicateSection(d.sections, index) }));
        announce(`${labelOf(sectionsRef.current[index])} duplicated`);
      },
      remove: (index) => {
        const s = sectionsRef.current[index];
        setDraft((d) => ({ ...d, sections: removeSection(d.sections, index) }));
        announce(`${labelOf(s)} removed`);
        setToast(`Removed “${labelOf(s)}”`);
        lastRemoved.current = s ? { section: s, index } : null;
      },
      toggleCollapsed: (id) =>
        setCollapsed((c) => {
          const n = new Set(c);
          if (n.has(id)) n.delete(id);
          else n.add(id);
          return n;
        }),
      registerEditor: (id, ref) => {
        if (ref) editors.current.set(id, ref);
        else editors.current.delete(id);
      },
      getCompletions: () => ({
        variables: [
          ...variablesRef.current.map((v) => ({ name: v.name, type: v.type, description: v.description })),
          ...detectedRef.current.map((name) => ({ name, type: "undeclared", description: "" })),
        ],
        partials: partialNames,
      }),
      dragStart: (from) => setDrag({ from, over: null, after: false }),
      dragOver: (over, after) => setDrag((d) => (d && (d.over !== over || d.after !== after) ? { ...d, over, after } : d)),
      drop: () =>
        setDrag((d) => {
          if (d && d.over !== null) {
            let to = d.after ? d.over + 1 : d.over;
            if (d.from < to) to -= 1;
            if (to !== d.from) {
              const list = sectionsRef.current;
              setDraft((x) => ({ ...x, sections: moveSection(x.sections, d.from, to) }));
              announce(`${labelOf(list[d.from])} moved to position ${to + 1} of ${list.length}`);
            }
          }
          return null;
        }),
      dragEnd: () => setDrag(null),
    }),
    [setDraft, partialNames],
  );
  const lastRemoved = useRef<{ section: Section; index: number } | null>(null);

  const addSection = (kind: SectionKind) => {
    const s = newSection(kind);
    setDraft((d) => ({ ...d, sections: insertSection(d.sections, s) }));
    announce(`${KIND_LABEL[kind]} section added at position ${draft.sections.length + 1}`);
    setTimeout(() => editors.current.get(s.id!)?.focusAt(), 60);
  };

  const undoRemove = () => {
    const r = lastRemoved.current;
    if (!r) return;
    setDraft((d) => ({ ...d, sections: insertSection(d.sections, r.section, r.index) }));
    lastRemoved.current = null;
    setToast("");
    announce(`${labelOf(r.section)} restored`);
  };

  // ---- variables -------------------------------------------------------------------------------
  const setVariables = useCallback((variables: Variable[]) => setDraft((d) => ({ ...d, variables })), [setDraft]);
  const declare = (names: string[]) => {
    if (!result) return;
    const inferred = result.declarations.filter((v) => names.includes(v.name));
    setDraft((d) => ({ ...d, variables: [...d.variables, ...inferred.filter((v) => !d.variables.some((x) => x.name === v.name))] }));
    announce(`Declared ${inferred.map((v) => v.name).join(", ")}`);
  };
  const setValue = useCallback((name: string, raw: RawValue | undefined) => {
    markChange();
    setValues((cur) => {
      const next = { ...cur };
      if (raw === undefined) delete next[name];
      else next[name] = raw;
      return next;
    });
  }, []);

  // ---- output ----------------------------------------------------------------------------------
  const output = useMemo(() => {
    if (target === "dotprompt") return renderTarget("dotprompt", [], draft, meta).text;
    if (!result || !result.ok) return null;
    return renderTarget(target, result.sections, draft, meta).text;
  }, [target, result, draft, meta]);

  const [copyLabel, setCopyLabel] = useState("Copy");
  const copy = useCallback(async () => {
    if (output === null) {
      setToast("Nothing to copy: fix the problems first");
      return;
    }
    const ok = await copyText(output);
    setCopyLabel(ok ? "Copied ✓" : "Copy failed");
    setToast(ok ? `Copied ${TARGET_INFO[target].label}` : "The browser refused to copy");
    setTimeout(() => setCopyLabel("Copy"), 1500);
  }, [output, target]);
  const download = () => {
    if (output === null) return;
    const base = (props.title || "prompt").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "prompt";
    downloadText(`${base}.${TARGET_INFO[target].extension}`, output, TARGET_INFO[target].mime);
  };

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
    setCollapsed((c) => {
      const n = new Set(c);
      n.delete(s.id!);
      return n;
    });
    setTimeout(() => editors.current.get(s.id!)?.focusAt(issue.line, issue.column), 30);
  };

  // ---- keyboard shortcuts ----------------------------------------------------------------------
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const modKey = e.ctrlKey || e.metaKey;
      if (modKey && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "s") {
        e.preventDefault();
        formRef.current?.requestSubmit();
      } else if (modKey && e.shiftKey && e.key.toLowerCase() === "c") {
        e.preventDefault();
        void copy();
      } else if (e.key === "?" && !modKey) {
        const t = e.target as HTMLElement | null;
        const typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
        if (!typing) {
          e.preventDefault();
          setHelpOpen(true);
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [copy]);

  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(""), 5000);
    return () => clearTimeout(t);
  }, [toast]);

  // ---- per-section derived data, kept referentially stable for memoised cards --------------------
  const issueCache = useRef(new Map<string, { key: string; list: PromptIssue[] }>());
  const bySection = useMemo(() => {
    const m = new Map<number, PromptIssue[]>();
    for (const i of result?.issues ?? []) {
      if (i.sectionIndex === undefined) continue;
      const l = m.get(i.sectionIndex);
      if (l) l.push(i);
      else m.set(i.sectionIndex, [i]);
    }
    return m;
  }, [result]);
  const stableIssues = (id: string, index: number): PromptIssue[] => {
    const list = bySection.get(index);
    if (!list) return EMPTY_ISSUES;
    const key = JSON.stringify(list);
    const hit = issueCache.current.get(id);
    if (hit && hit.key === key) return hit.list;
    issueCache.current.set(id, { key, list });
    return list;
  };
  const undeclaredKey = (result?.undeclared ?? []).join(",");
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const undeclared = useMemo(() => new Set(result?.undeclared ?? []), [undeclaredKey]);

  const fieldError = (name: string) => actionData?.issues?.find((i) => i.path[0] === name)?.message;
  const errorCount = allIssues.filter((i) => i.severity === "error").length;
  const warningCount = allIssues.filter((i) => i.severity === "warning").length;
  const variableProblems = allIssues.filter((i) => i.code === "undeclared" || i.path[0] === "variables" || i.path[0] === "values").filter((i) => i.severity === "error").length;
  const settingsProblems = settingsIssues.filter((i) => i.severity === "error").length;

  const sideTabLabel: Record<SideTab, string> = { preview: "Preview", variables: "Variables", model: "Model" };
  const sideTabCount: Record<SideTab, number> = { preview: 0, variables: variableProblems, model: settingsProblems };

  return (
    <div className="builder" data-renderer={renderedOn}>
      <div className="sr-only" aria-live="polite" role="status">
        {announcement}
      </div>

      <Form
        method="post"
        ref={formRef}
        className="builder-bar panel"
        onSubmit={() => {
          if (draftInput.current) draftInput.current.value = JSON.stringify(draftForSave(draft));
          if (metaInput.current) metaInput.current.value = JSON.stringify(meta);
          submitting.current = true;
          try {
            localStorage.removeItem(`pb:draft:${storageKey}`);
            // The new prompt's page picks these up: its slug is not known yet, so key them by the likely one.
            if (mode === "new") localStorage.setItem(`pb:values:created:${slugGuess(meta.name)}`, JSON.stringify(values));
          } catch {
            /* ignore */
          }
        }}
      >
        <input ref={draftInput} type="hidden" name="draft" defaultValue={JSON.stringify(draftForSave(props.initialDraft))} />
        <input ref={metaInput} type="hidden" name="meta" defaultValue={JSON.stringify(props.initialMeta)} />
        <input type="hidden" name="baseVersion" value={editBase} />
        <div className="bar-title">
          {mode === "new" ? (
            <div className="field field-inline">
              <label htmlFor="meta-name" className="sr-only">
                Prompt name
              </label>
              <input
                id="meta-name"
                name="name"
                type="text"
                className="title-input"
                value={meta.name}
                required
                maxLength={120}
                placeholder="Name your prompt"
                aria-invalid={!!fieldError("name")}
                aria-describedby={fieldError("name") ? "meta-name-err" : undefined}
                onChange={(e) => setMeta((m) => ({ ...m, name: e.target.value }))}
              />
              {fieldError("name") ? (
                <span id="meta-name-err" className="field-error">
                  {fieldError("name")}
                </span>
              ) : null}
            </div>
          ) : (
            <h1 className="builder-title">
              {props.promptHref ? <a href={props.promptHref}>{props.title}</a> : props.title}
              <span className="badge" title="Saving creates the next version">
                v{baseVersion}
              </span>
            </h1>
          )}
          <span className={`status ${dirty ? "status-dirty" : "status-clean"}`} role="status">
            {saving ? "Saving…" : dirty ? "Unsaved changes" : props.savedVersion ? `Saved as v${props.savedVersion}` : mode === "new" ? "Not saved yet" : "All changes saved"}
          </span>
        </div>
        <div className="bar-actions">
          <label htmlFor="save-message" className="sr-only">
            Version message (optional)
          </label>
          <input id="save-message" name="message" type="text" maxLength={500} placeholder="What changed? (optional)" className="message-input" />
          <button type="submit" className="btn btn-primary" disabled={saving} aria-keyshortcuts="Control+S Meta+S" title={`Save a new version (${mod}+S)`}>
            {saving ? "Saving…" : mode === "new" ? "Create prompt" : "Save version"}
          </button>
          <button type="button" className="btn btn-ghost help-btn" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
            ?
          </button>
        </div>
        {mode === "new" ? (
          <details className="meta-details">
            <summary>Description, tags and folder</summary>
            <div className="meta-grid">
              <div className="field">
                <label htmlFor="meta-description">Description</label>
                <input id="meta-description" name="description" type="text" value={meta.description} maxLength={2000} onChange={(e) => setMeta((m) => ({ ...m, description: e.target.value }))} />
              </div>
              <div className="field">
                <label htmlFor="meta-tags">Tags (comma-separated)</label>
                <input
                  id="meta-tags"
                  name="tags"
                  type="text"
                  value={meta.tags.join(", ")}
                  onChange={(e) =>
                    setMeta((m) => ({
                      ...m,
                      tags: e.target.value
                        .split(",")
                        .map((t) => t.trim())
                        .filter((t, i, a) => t !== "" || i === a.length - 1),
                    }))
                  }
                />
              </div>
              <div className="field">
                <label htmlFor="meta-folder">Folder</label>
                <input id="meta-folder" name="folder" type="text" value={meta.folder} placeholder="e.g. support/email" aria-invalid={!!fieldError("folder")} onChange={(e) => setMeta((m) => ({ ...m, folder: e.target.value }))} />
                {fieldError("folder") ? <span className="field-error">{fieldError("folder")}</span> : null}
              </div>
            </div>
          </details>
        ) : null}
      </Form>

      {actionData?.conflict ? (
        <div className="callout callout-error" role="alert">
          <p className="callout-title">Not saved: someone saved version {actionData.conflict.headVersion} after you started editing version {actionData.conflict.baseVersion}.</p>
          <p>
            Your changes are kept: here, and on the server for the conflict view, which shows both changes side by side so you can merge them
            or overwrite knowingly.
          </p>
          <div className="callout-actions">
            {actionData.conflict.url ? (
              <a
                className="btn btn-sm btn-primary"
                href={actionData.conflict.url}
                onClick={() => {
                  // The conflict view owns the draft now; do not offer it again as unsaved work.
                  submitting.current = true;
                  try {
                    localStorage.removeItem(`pb:draft:${storageKey}`);
                  } catch {
                    /* storage disabled */
                  }
                }}
              >
                Compare and merge…
              </a>
            ) : null}
            <a className="btn btn-sm" href={`${props.promptHref ?? ""}/edit`} target="_blank" rel="noreferrer">
              Open latest in a new tab
            </a>
            <button type="button" className="btn btn-sm" onClick={() => setEditBase(actionData.conflict!.headVersion)}>
              Save mine on top of v{actionData.conflict.headVersion}…
            </button>
          </div>
        </div>
      ) : actionData?.error ? (
        <div className="callout callout-error" role="alert">
          <p className="callout-title">{actionData.error}</p>
          {actionData.issues?.length ? (
            <ul className="issue-list">
              {actionData.issues.map((i, n) => (
                <li key={n}>
                  <code>{i.path.join(".")}</code> {i.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {restored ? (
        <div className="callout callout-info" role="status">
          <p>Restored unsaved changes from {new Date(restored.savedAt).toLocaleString()}.</p>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => {
              setDraftState({ ...props.initialDraft, sections: withIds(props.initialDraft.sections) });
              setMeta(props.initialMeta);
              setRestored(null);
              localStorage.removeItem(`pb:draft:${storageKey}`);
            }}
          >
            Discard them
          </button>
        </div>
      ) : null}
      {pendingRestore ? (
        <div className="callout callout-warning" role="status">
          <p>
            You have unsaved changes from {new Date(pendingRestore.savedAt).toLocaleString()} based on v{pendingRestore.baseVersion}; this prompt is now at v{baseVersion}.
          </p>
          <div className="callout-actions">
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => {
                setDraftState({ ...pendingRestore.draft, sections: withIds(pendingRestore.draft.sections) });
                setMeta(pendingRestore.meta);
                setEditBase(pendingRestore.baseVersion);
                setPendingRestore(null);
              }}
            >
              Restore them
            </button>
            <button
              type="button"
              className="btn btn-sm btn-ghost"
              onClick={() => {
                localStorage.removeItem(`pb:draft:${storageKey}`);
                setPendingRestore(null);
              }}
            >
              Discard
            </button>
          </div>
        </div>
      ) : null}

      <div className="builder-grid">
        <section className="builder-sections" aria-labelledby="sections-title">
          <div className="sections-head">
            <h2 id="sections-title">
              Sections <span className="count">{draft.sections.length}</span>
            </h2>
            <span className="muted small">
              {errorCount ? <span className="text-danger">{errorCount} error{errorCount === 1 ? "" : "s"}</span> : "No errors"}
              {warningCount ? ` · ${warningCount} warning${warningCount === 1 ? "" : "s"}` : ""}
            </span>
          </div>
          <div className="palette" role="group" aria-label="Add a section">
            <span className="palette-label" aria-hidden="true">
              Add
            </span>
            {SECTION_KINDS.map((k) => (
              <button key={k} type="button" className={`palette-btn kind-${k}`} onClick={() => addSection(k)} aria-label={`Add ${KIND_LABEL[k]} section`}>
                + {KIND_LABEL[k]}
              </button>
            ))}
          </div>
          {draft.sections.length === 0 ? (
            <div className="empty-state panel">
              <p>No sections. Add a role, the task and any context from the buttons above.</p>
            </div>
          ) : null}
          <ol className="section-list" aria-label="Sections, in the order the model reads them">
            {draft.sections.map((s, i) => (
              <SectionCard
                key={s.id}
                section={s}
                index={i}
                count={draft.sections.length}
                collapsed={collapsed.has(s.id!)}
                tokens={budget ? (budget.sections[i]?.tokens ?? null) : null}
                estimate={budget ? !budget.exact : false}
                issues={stableIssues(s.id!, i)}
                undeclared={undeclared}
                dropMarker={drag && drag.over === i && drag.from !== i ? (drag.after ? "after" : "before") : null}
                dragging={drag?.from === i}
                actions={actions}
              />
            ))}
          </ol>
        </section>

        <aside className="builder-side" aria-label="Budget, preview, variables and model">
          <TokenMeter budget={budget} loading={tokenizerLoading} />
          <div className="side-tabs" role="tablist" aria-label="Side panel">
            {SIDE_TABS.map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                id={`side-tab-${t}`}
                aria-selected={sideTab === t}
                aria-controls={`side-panel-${t}`}
                tabIndex={sideTab === t ? 0 : -1}
                className="side-tab"
                onClick={() => setSideTab(t)}
                onKeyDown={(e) => {
                  const i = SIDE_TABS.indexOf(t);
                  const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
                  if (!d) return;
                  e.preventDefault();
                  const next = SIDE_TABS[(i + d + SIDE_TABS.length) % SIDE_TABS.length]!;
                  setSideTab(next);
                  document.getElementById(`side-tab-${next}`)?.focus();
                }}
              >
                {sideTabLabel[t]}
                {t === "variables" ? <span className="count">{draft.variables.length}</span> : null}
                {sideTabCount[t] ? (
                  <span className="dot-error" aria-label={`${sideTabCount[t]} problems`}>
                    {sideTabCount[t]}
                  </span>
                ) : null}
              </button>
            ))}
          </div>
          <div id="side-panel-preview" role="tabpanel" aria-labelledby="side-tab-preview" hidden={sideTab !== "preview"}>
            <PreviewPanel
              target={target}
              onTarget={setTarget}
              output={output}
              pending={pending && !result}
              issues={allIssues}
              sections={draft.sections}
              onGoTo={goTo}
              onCopy={() => void copy()}
              onDownload={download}
              copyLabel={copyLabel}
            />
          </div>
          <div id="side-panel-variables" role="tabpanel" aria-labelledby="side-tab-variables" hidden={sideTab !== "variables"} className="panel">
            <h2 className="panel-title">Variables</h2>
            <VariablesPanel
              variables={draft.variables}
              values={values}
              undeclared={result?.undeclared ?? []}
              issues={allIssues}
              onChangeVariables={setVariables}
              onChangeValue={setValue}
              onDeclare={declare}
            />
          </div>
          <div id="side-panel-model" role="tabpanel" aria-labelledby="side-tab-model" hidden={sideTab !== "model"} className="panel">
            <h2 className="panel-title">Model settings</h2>
            <ModelSettingsPanel settings={draft.modelSettings} issues={settingsIssues} onChange={(modelSettings) => setDraft((d) => ({ ...d, modelSettings }))} />
          </div>
        </aside>
      </div>

      {toast ? (
        <div className="toast" role="status">
          {toast}
          {toast.startsWith("Removed") && lastRemoved.current ? (
            <button type="button" className="btn btn-sm" onClick={undoRemove}>
              Undo
            </button>
          ) : null}
        </div>
      ) : null}
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} mod={mod} />
    </div>
  );
}
