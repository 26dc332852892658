/**
 * A section's template editor: a plain textarea on the server and until CodeMirror has loaded
 * (lazily, on first mount in the browser), then the CodeMirror editor in its place.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from "react";
import type * as EditorModule from "./codemirror.client";
import type { CompletionData, TemplateEditorHandle } from "./codemirror.client";

type Props = {
  id: string;
  value: string;
  label: string;
  describedBy?: string;
  placeholder?: string;
  onChange: (value: string) => void;
  getCompletions: () => CompletionData;
  undeclared: ReadonlySet<string>;
  errorLines: readonly number[];
};

export type TemplateEditorRef = { focusAt(line?: number, column?: number): void };

let editorModule: Promise<typeof EditorModule> | null = null;
function loadEditor() {
  editorModule ??= import("./codemirror.client");
  return editorModule;
}

export const TemplateEditor = forwardRef<TemplateEditorRef, Props>(function TemplateEditor(props, ref) {
  const host = useRef<HTMLDivElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const handle = useRef<TemplateEditorHandle | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let cancelled = false;
    loadEditor()
      .then(({ createTemplateEditor }) => {
        if (cancelled || !host.current) return;
        const p = latest.current;
        const hadFocus = document.activeElement === textarea.current;
        handle.current = createTemplateEditor(host.current, {
          doc: p.value,
          label: p.label,
          describedBy: p.describedBy,
          placeholder: p.placeholder,
          onChange: (v) => latest.current.onChange(v),
          getCompletions: () => latest.current.getCompletions(),
          undeclared: p.undeclared,
          errorLines: p.errorLines,
        });
        setReady(true);
        if (hadFocus) handle.current.focusAt();
      })
      .catch(() => {
        /* keep the textarea */
      });
    return () => {
      cancelled = true;
      handle.current?.destroy();
      handle.current = null;
    };
  }, []);

  useEffect(() => {
    handle.current?.setDoc(props.value);
  }, [props.value]);

  const marksKey = [...props.undeclared].sort().join(",") + "|" + props.errorLines.join(",");
  useEffect(() => {
    handle.current?.setMarks(latest.current.undeclared, latest.current.errorLines);
  }, [marksKey, ready]);

  useImperativeHandle(ref, () => ({
    focusAt(line, column) {
      if (handle.current) return handle.current.focusAt(line, column);
      const ta = textarea.current;
      if (!ta) return;
      if (line !== undefined) {
        const lines = ta.value.split("\n");
        let pos = 0;
        for (let i = 0; i < Math.min(line - 1, lines.length - 1); i++) pos += lines[i]!.length + 1;
        pos += Math.max(0, (column ?? 1) - 1);
        ta.setSelectionRange(pos, pos);
      }
      ta.focus();
    },
  }));

  return (
    <div className="template-editor" data-editor={ready ? "codemirror" : "textarea"}>
      <div ref={host} className="template-editor-cm" hidden={!ready} />
      {ready ? null : (
        <textarea
          ref={textarea}
          id={props.id}
          className="template-editor-textarea"
          aria-label={props.label}
          aria-describedby={props.describedBy}
          placeholder={props.placeholder}
          value={props.value}
          spellCheck={false}
          rows={Math.min(16, Math.max(3, props.value.split("\n").length + 1))}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </div>
  );
});
