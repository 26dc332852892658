/**
 * The CodeMirror 6 template editor, loaded lazily (dynamic import) by TemplateEditor once the
 * builder is on screen, so the page's first download stays small. Highlights {{variables}},
 * block helpers, partials and comments; marks undeclared variables and lines with errors; and
 * completes declared variable names, helpers and snippet names after "{{".
 */
import {
  autocompletion,
  completionKeymap,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { Compartment, EditorState, RangeSetBuilder } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  keymap,
  MatchDecorator,
  placeholder as placeholderExt,
  ViewPlugin,
  type DecorationSet,
  type ViewUpdate,
} from "@codemirror/view";

export type CompletionData = {
  variables: Array<{ name: string; type: string; description: string }>;
  partials: string[];
};

export type EditorOptions = {
  doc: string;
  label: string;
  describedBy?: string;
  placeholder?: string;
  onChange: (doc: string) => void;
  getCompletions: () => CompletionData;
  undeclared: ReadonlySet<string>;
  errorLines: readonly number[];
};

export type TemplateEditorHandle = {
  setDoc(doc: string): void;
  setMarks(undeclared: ReadonlySet<string>, errorLines: readonly number[]): void;
  focusAt(line?: number, column?: number): void;
  destroy(): void;
};

const BLOCK_HELPERS = ["if", "unless", "each", "with", "ifEquals", "unlessEquals"];
const INLINE_HELPERS = [
  { label: "json", detail: "helper", info: "{{json value}} — the value as JSON" },
  { label: "role", detail: "helper", info: '{{role "system"}} — start a message with this role' },
  { label: "else", detail: "keyword", info: "{{else}} inside a block" },
];

function tokenMatcher(undeclared: ReadonlySet<string>) {
  return new MatchDecorator({
    regexp: /\{\{~?\s*([#/>!^]?)\s*(else\b)?\s*([\w.@/-]*)[^}]*\}\}/g,
    decoration: (m) => {
      const sigil = m[1];
      const name = (m[3] ?? "").split(".")[0] ?? "";
      let cls = "cm-hb-var";
      if (sigil === "!") cls = "cm-hb-comment";
      else if (sigil === ">") cls = "cm-hb-partial";
      else if (sigil === "#" || sigil === "/" || sigil === "^" || m[2]) cls = "cm-hb-block";
      else if (name === "json" || name === "role" || name === "lookup" || name === "media" || name === "history")
        cls = "cm-hb-block";
      else if (undeclared.has(name)) cls = "cm-hb-var cm-hb-undeclared";
      return Decoration.mark({
        class: cls,
        attributes: cls.includes("undeclared") ? { title: `"${name}" is not declared` } : undefined,
      });
    },
  });
}

function highlighter(undeclared: ReadonlySet<string>) {
  const matcher = tokenMatcher(undeclared);
  return ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = matcher.createDeco(view);
      }
      update(u: ViewUpdate) {
        this.decorations = matcher.updateDeco(u, this.decorations);
      }
    },
    { decorations: (v) => v.decorations },
  );
}

function errorLineDecorations(lines: readonly number[]) {
  return EditorView.decorations.of((view) => {
    const b = new RangeSetBuilder<Decoration>();
    const doc = view.state.doc;
    for (const n of [...new Set(lines)].sort((a, c) => a - c)) {
      if (n >= 1 && n <= doc.lines)
        b.add(doc.line(n).from, doc.line(n).from, Decoration.line({ class: "cm-pb-error-line" }));
    }
    return b.finish();
  });
}

function completionSource(get: () => CompletionData) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const m = ctx.matchBefore(/\{\{~?\s*[#/>^]?\s*[\w.@-]*$/);
    if (!m) return null;
    const head = /^\{\{~?\s*([#/>^]?)\s*/.exec(m.text)!;
    const sigil = head[1];
    const from = m.from + head[0].length;
    const data = get();
    let options: Completion[];
    if (sigil === ">") {
      options = data.partials.map((p) => ({ label: p, type: "namespace", detail: "snippet", apply: `${p}}}` }));
    } else if (sigil === "#") {
      options = BLOCK_HELPERS.map((h) => ({ label: h, type: "keyword", detail: "block", apply: `${h} ` }));
    } else if (sigil === "/") {
      options = BLOCK_HELPERS.map((h) => ({ label: h, type: "keyword", apply: `${h}}}` }));
    } else {
      options = [
        ...data.variables.map((v) => ({
          label: v.name,
          type: "variable",
          detail: v.type,
          info: v.description || undefined,
          apply: `${v.name}}}`,
          boost: 1,
        })),
        ...INLINE_HELPERS.map((h) => ({ ...h, type: "function" })),
      ];
    }
    if (!ctx.explicit && options.length === 0) return null;
    return { from, options, validFor: /^[\w.@-]*$/ };
  };
}

const theme = EditorView.theme({
  "&": { fontSize: "13.5px", backgroundColor: "var(--surface)", color: "var(--text)" },
  "&.cm-focused": { outline: "none" },
  ".cm-content": { fontFamily: "var(--font-mono)", padding: "10px 0", caretColor: "var(--text)", minHeight: "3.5em" },
  ".cm-line": { padding: "0 12px" },
  ".cm-cursor": { borderLeftColor: "var(--text)" },
  ".cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--accent-soft) !important",
  },
  ".cm-placeholder": { color: "var(--text-muted)" },
  ".cm-tooltip": {
    backgroundColor: "var(--surface)",
    border: "1px solid var(--border-strong)",
    borderRadius: "6px",
    boxShadow: "var(--shadow)",
  },
  ".cm-tooltip-autocomplete > ul > li": { padding: "3px 8px", fontFamily: "var(--font-mono)" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": {
    backgroundColor: "var(--accent)",
    color: "var(--accent-contrast)",
  },
  ".cm-completionDetail": { marginLeft: "10px", opacity: 0.75, fontStyle: "normal" },
  ".cm-completionInfo": { padding: "6px 8px", maxWidth: "280px" },
});

export function createTemplateEditor(parent: HTMLElement, opts: EditorOptions): TemplateEditorHandle {
  const marks = new Compartment();
  const contentAttrs: Record<string, string> = { "aria-label": opts.label, "aria-multiline": "true" };
  if (opts.describedBy) contentAttrs["aria-describedby"] = opts.describedBy;
  let applyingExternal = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: opts.doc,
      extensions: [
        history(),
        keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
        autocompletion({ override: [completionSource(opts.getCompletions)], icons: false }),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of(contentAttrs),
        placeholderExt(opts.placeholder ?? ""),
        theme,
        marks.of([highlighter(opts.undeclared), errorLineDecorations(opts.errorLines)]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !applyingExternal) opts.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    setDoc(doc) {
      if (doc === view.state.doc.toString()) return;
      applyingExternal = true;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } });
      applyingExternal = false;
    },
    setMarks(undeclared, errorLines) {
      view.dispatch({ effects: marks.reconfigure([highlighter(undeclared), errorLineDecorations(errorLines)]) });
    },
    focusAt(line, column) {
      if (line !== undefined) {
        const doc = view.state.doc;
        const l = doc.line(Math.max(1, Math.min(doc.lines, line)));
        const pos = Math.min(l.to, l.from + Math.max(0, (column ?? 1) - 1));
        view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      }
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}
