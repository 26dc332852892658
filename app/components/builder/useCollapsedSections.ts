/** Which sections are collapsed to their header, by section id. */
import { useCallback, useState } from "react";

export function useCollapsedSections() {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setCollapsed((c) => {
        const n = new Set(c);
        if (n.has(id)) n.delete(id);
        else n.add(id);
        return n;
      }),
    [],
  );
  const expand = useCallback(
    (id: string) =>
      setCollapsed((c) => {
        const n = new Set(c);
        n.delete(id);
        return n;
      }),
    [],
  );
  return { collapsed, toggle, expand };
}
