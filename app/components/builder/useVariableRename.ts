/**
 * Renaming a variable in the Variables panel offers to update its uses (issue 9 §6): when the
 * name field loses focus with a new name while the old one is still used in the sections or
 * example rows, the card asks; "Update" renames every use (`renameVariable` in
 * app/prompt/rename.ts) and moves the preview value, as one change with one Undo.
 */
import { useCallback, useRef, useState } from "react";
import type { PromptDraft } from "~/prompt/draft";
import { countUses, renameVariable } from "~/prompt/rename";
import type { RawValue } from "./raw-value";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type RenameOffer = { from: string; to: string; uses: number; snippets: string[] };

export type VariableRename = {
  offer: RenameOffer | null;
  /** The name field of a variable was left: `from` when it was entered, `to` now. */
  onNameEdited: (from: string, to: string) => void;
  apply: () => void;
  dismiss: () => void;
};

export function useVariableRename({
  draft,
  setDraft,
  partials,
  values,
  setValue,
  notify,
}: {
  draft: PromptDraft;
  setDraft: (fn: (d: PromptDraft) => PromptDraft) => void;
  partials: Readonly<Record<string, string>>;
  values: Readonly<Record<string, RawValue>>;
  setValue: (name: string, raw: RawValue | undefined) => void;
  notify: (text: string, undo?: () => void) => void;
}): VariableRename {
  const [offer, setOffer] = useState<RenameOffer | null>(null);
  const latest = useRef({ draft, values, partials });
  latest.current = { draft, values, partials };

  const onNameEdited = useCallback((from: string, to: string) => {
    const { draft: d, partials: p } = latest.current;
    const declared = (n: string) => d.variables.filter((v) => v.name === n).length;
    if (from === to || !NAME.test(from) || !NAME.test(to) || declared(from) > 0 || declared(to) !== 1) {
      setOffer(null);
      return;
    }
    const uses = countUses(d, from);
    if (!uses) return setOffer(null);
    // Which included snippets read the old name (they are not changed by a rename).
    const snippets = renameVariable({ ...d, variables: [] }, from, to, p).snippets;
    setOffer({ from, to, uses, snippets });
  }, []);

  /** Moves a preview value from one name to another (when the new name has none). */
  const moveValue = useCallback(
    (from: string, to: string) => {
      const raw = latest.current.values[from];
      if (raw === undefined || latest.current.values[to] !== undefined) return;
      setValue(to, raw);
      setValue(from, undefined);
    },
    [setValue],
  );

  const apply = useCallback(() => {
    if (!offer) return;
    const { from, to } = offer;
    let count = 0;
    // The declaration is already `to`: rename the uses (and nothing else) from `from` to `to`.
    setDraft((d) => {
      const r = renameVariable(d, from, to);
      count = r.count;
      return r.draft;
    });
    moveValue(from, to);
    setOffer(null);
    notify(`Renamed {{${from}}} to {{${to}}} in ${count} ${count === 1 ? "place" : "places"}`, () => {
      // One step back to the old name, declaration and uses (a rename back restores the draft).
      setDraft((d) => renameVariable(d, to, from).draft);
      moveValue(to, from);
    });
  }, [offer, setDraft, moveValue, notify]);

  return { offer, onNameEdited, apply, dismiss: useCallback(() => setOffer(null), []) };
}
