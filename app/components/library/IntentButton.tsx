import { Form } from "@remix-run/react";
import type { ButtonHTMLAttributes, ReactNode } from "react";

/**
 * A form of one button that posts `intent` (plus a few hidden fields) to the page's action: the
 * shape of every "Duplicate", "Move to trash", "Restore" button, working without JavaScript.
 */
export function IntentButton({
  intent,
  fields = {},
  children,
  className = "btn",
  formClassName,
  ...button
}: { intent: string; fields?: Record<string, string>; children: ReactNode; formClassName?: string } & Omit<
  ButtonHTMLAttributes<HTMLButtonElement>,
  "name" | "value" | "type" | "children"
>) {
  return (
    <Form method="post" className={formClassName}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" name="intent" value={intent} className={className} {...button}>
        {children}
      </button>
    </Form>
  );
}
