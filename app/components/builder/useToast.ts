/** A short message at the bottom of the builder, gone after five seconds; it may offer to undo what it reports. */
import { useCallback, useEffect, useState } from "react";

export type ToastMessage = {
  text: string;
  /** Shown as an "Undo" button: puts back what the message reports. */
  undo?: () => void;
};

export function useToast() {
  const [toast, setToast] = useState<ToastMessage | null>(null);

  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(t);
  }, [toast]);

  const notify = useCallback((text: string, undo?: () => void) => setToast({ text, undo }), []);
  const dismiss = useCallback(() => setToast(null), []);
  return { toast, notify, dismiss };
}
