import { useEffect, useState } from "react";

/** Text input that keeps what is typed (e.g. "1.") while committing the parsed value. */
export function DraftField({
  id,
  value,
  onCommit,
  multiline,
  ...rest
}: {
  id: string;
  value: string;
  onCommit: (raw: string) => void;
  multiline?: boolean;
  "aria-label"?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  placeholder?: string;
  inputMode?: "decimal";
}) {
  const [text, setText] = useState(value);
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setText(value);
  }, [value, focused]);
  const common = {
    id,
    value: text,
    onFocus: () => setFocused(true),
    onBlur: () => setFocused(false),
    ...rest,
  };
  return multiline ? (
    <textarea
      {...common}
      rows={Math.min(8, Math.max(2, text.split("\n").length))}
      onChange={(e) => (setText(e.target.value), onCommit(e.target.value))}
    />
  ) : (
    <input type="text" {...common} onChange={(e) => (setText(e.target.value), onCommit(e.target.value))} />
  );
}
