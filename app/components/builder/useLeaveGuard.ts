/**
 * Asks before unsaved work is left behind: the browser's own prompt when the tab is closed or
 * reloaded, a confirm for navigation inside the app (which keeps the work as a local draft).
 */
import { useBlocker } from "@remix-run/react";
import { useEffect, useRef } from "react";

export function useLeaveGuard(hasUnsavedWork: () => boolean) {
  const unsaved = useRef(hasUnsavedWork);
  useEffect(() => {
    unsaved.current = hasUnsavedWork;
  });

  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (unsaved.current()) {
        e.preventDefault();
        e.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, []);

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => unsaved.current() && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm("You have unsaved changes. Leave this page and keep them only as a local draft?"))
      blocker.proceed();
    else blocker.reset();
  }, [blocker]);
}
