import { describe, expect, it } from "vitest";
import { InvalidError } from "~/prompt/errors";
import { localRedirect, redirectField, safeRedirectPath } from "./safe-redirect.server";

describe("safeRedirectPath", () => {
  it("keeps same-origin paths", () => {
    for (const p of ["/", "/prompts/a?done=1", "/?folder=support%2Femail#x", "/a/b/../c"])
      expect(safeRedirectPath(p)).toBe(p);
  });

  it("refuses other origins, backslashes, control characters and schemes", () => {
    for (const p of [
      "//evil.example",
      "/\\evil.example/phish",
      "/\\/evil.example",
      "\\\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "evil.example",
      "",
      "/ok\r\nSet-Cookie: x=1",
      "/ok\u0000",
      "/\t/evil.example",
      "/ok\u0085",
    ]) {
      expect(safeRedirectPath(p), JSON.stringify(p)).toBeNull();
    }
  });
});

describe("redirectField", () => {
  it("falls back when absent, keeps a safe path, and refuses anything else as a 400 naming the field", () => {
    expect(redirectField(null, "back")).toBe("/");
    expect(redirectField("", "back", "/x")).toBe("/x");
    expect(redirectField("/trash", "back")).toBe("/trash");
    const error = (() => {
      try {
        redirectField("/\\evil.example", "redirectTo");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).malformed).toBe(true);
    expect((error as InvalidError).issues[0]!.path).toEqual(["redirectTo"]);
  });
});

describe("localRedirect", () => {
  it("percent-encodes what a header cannot carry", () => {
    const res = localRedirect("/prompts/caf\u00e9 x?done=1");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/prompts/caf%C3%A9%20x?done=1");
  });

  it("never redirects off the site", () => {
    expect(() => localRedirect("//evil.example")).toThrow(/same-origin/);
  });
});
