/**
 * The builder's keyboard shortcuts: Ctrl/⌘+S saves, Ctrl/⌘+Shift+C copies the output, ? opens
 * the help (unless typing in a field). ShortcutHelp lists them.
 */
import { useEffect, useRef, useState } from "react";
import { isMac } from "./clipboard";

type Handlers = { save: () => void; copy: () => void; help: () => void };

export function useShortcuts(handlers: Handlers) {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const modKey = e.ctrlKey || e.metaKey;
      if (modKey && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "s") {
        e.preventDefault();
        latest.current.save();
      } else if (modKey && e.shiftKey && e.key.toLowerCase() === "c") {
        e.preventDefault();
        latest.current.copy();
      } else if (e.key === "?" && !modKey) {
        const t = e.target as HTMLElement | null;
        const typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
        if (!typing) {
          e.preventDefault();
          latest.current.help();
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}

/** The modifier key's name on this platform, for titles and the help: "Ctrl" until the page knows better. */
export function useModKeyLabel(): string {
  const [mod, setMod] = useState("Ctrl");
  useEffect(() => setMod(isMac() ? "⌘" : "Ctrl"), []);
  return mod;
}
