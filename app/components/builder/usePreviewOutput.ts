/**
 * The output shown in the preview: the chosen target rendered from the latest preview result
 * (nothing while there are errors; the .prompt file is the draft itself), and copying or
 * downloading it.
 */
import { useCallback, useMemo, useState } from "react";
import type { PromptDraft, PromptMeta } from "~/prompt/draft";
import { slugify } from "~/prompt/slug";
import { renderTarget, TARGET_INFO, type Target } from "~/prompt/targets";
import type { PreviewResult } from "~/workers/render-protocol";
import { copyText, downloadText } from "./clipboard";

type Options = {
  result: PreviewResult | null;
  draft: PromptDraft;
  meta: PromptMeta;
  /** Names the downloaded file. */
  title: string;
  notify: (text: string) => void;
};

export function usePreviewOutput({ result, draft, meta, title, notify }: Options) {
  const [target, setTarget] = useState<Target>("plain");
  const [copyLabel, setCopyLabel] = useState("Copy");

  const rendered = useMemo(() => {
    if (target === "dotprompt") return renderTarget("dotprompt", { sections: [], conversation: null }, draft, meta);
    if (!result || !result.ok) return null;
    // A chat target waits for the conversation (asked for when its tab opens).
    if ((target === "openai" || target === "anthropic") && !result.conversation) return null;
    return renderTarget(target, result, draft, meta);
  }, [target, result, draft, meta]);
  const output = rendered?.text ?? null;
  /** Warnings about this target only (a stand-in model, a turn the vendor cannot take). */
  const targetWarnings = rendered?.warnings ?? [];

  const copy = useCallback(async () => {
    if (output === null) {
      notify("Nothing to copy: fix the problems first");
      return;
    }
    const ok = await copyText(output);
    setCopyLabel(ok ? "Copied ✓" : "Copy failed");
    notify(ok ? `Copied ${TARGET_INFO[target].label}` : "The browser refused to copy");
    setTimeout(() => setCopyLabel("Copy"), 1500);
  }, [output, target, notify]);

  const download = () => {
    if (output === null) return;
    downloadText(`${slugify(title)}.${TARGET_INFO[target].extension}`, output, TARGET_INFO[target].mime);
  };

  return { target, setTarget, output, targetWarnings, copy, copyLabel, download };
}
