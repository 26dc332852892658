import type { ToastMessage } from "./useToast";

export function Toast({ toast, onDismiss }: { toast: ToastMessage | null; onDismiss: () => void }) {
  if (!toast) return null;
  const { undo } = toast;
  return (
    <div className="toast" role="status">
      {toast.text}
      {undo ? (
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => {
            onDismiss();
            undo();
          }}
        >
          Undo
        </button>
      ) : null}
    </div>
  );
}
