import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./guard.server";

describe("safeReturnPath (local check until the shared redirect validator lands)", () => {
  it.each(["/", "/tags?x=1", "/prompts/a/history"])("keeps %s", (p) => expect(safeReturnPath(p)).toBe(p));
  it.each(["//evil.example", "/\\evil.example", "https://evil.example", "evil", "/a\nb", "/a\u0000", null, 3])(
    "refuses %j",
    (p) => expect(safeReturnPath(p)).toBe("/"),
  );
});
