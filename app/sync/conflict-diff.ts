/** The unified diff push prints for a refused file: the instance's current file → the local one. Pure. */
import { createTwoFilesPatch } from "diff";

/** At most this many diff lines are printed per file; the rest is summarised. */
export const MAX_DIFF_LINES = 400;

export function conflictDiff(path: string, instance: { text: string; version: number }, localText: string): string {
  const patch = createTwoFilesPatch(
    `instance/${path}`,
    `local/${path}`,
    instance.text,
    localText,
    `version ${instance.version} on the instance`,
    "your file",
    { context: 3 },
  );
  // Without the "=====" rule createTwoFilesPatch starts with, it is a plain unified diff (git apply, patch).
  const lines = patch.split("\n").filter((line, i) => !(i === 0 && /^=+$/.test(line)));
  if (lines.length <= MAX_DIFF_LINES) return lines.join("\n");
  return `${lines.slice(0, MAX_DIFF_LINES).join("\n")}\n… ${lines.length - MAX_DIFF_LINES} more lines\n`;
}
