import { useEffect, useRef } from "react";

export const SHORTCUTS: Array<[string, string]> = [
  ["Ctrl/⌘ + S", "Save a new version"],
  ["Ctrl/⌘ + Shift + C", "Copy the rendered output of the current tab"],
  ["Alt + ↑ / ↓", "Move the focused section up or down"],
  ["{{", "Autocomplete variables, helpers and snippets in a template"],
  ["Tab", "Leave a template editor (Tab is not captured)"],
  ["?", "Show this help"],
  ["Esc", "Close this help"],
];

export function ShortcutHelp({ open, onClose, mod }: { open: boolean; onClose: () => void; mod: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose} onCancel={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcut-table">
        <tbody>
          {SHORTCUTS.map(([k, d]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k.replace("Ctrl/⌘", mod)}</kbd>
              </th>
              <td>{d}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
