import { describe, expect, it } from "vitest";
import { InvalidError } from "./errors";
import { parseBaseVersion, parseDraftField, parseMessage, parseMetaFields } from "./save-form";

const form = (o: Record<string, string>) => ({ get: (k: string) => o[k] ?? null });

/** The InvalidError `fn` throws (fails the test when it does not throw one). */
function invalid(fn: () => unknown): InvalidError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidError);
    return e as InvalidError;
  }
  throw new Error("expected an InvalidError");
}

describe("save form", () => {
  it("parses a valid draft", () => {
    const draft = parseDraftField(form({ draft: JSON.stringify({ sections: [{ kind: "task", template: "Hi" }] }) }));
    expect(draft.sections[0]).toMatchObject({ kind: "task", title: "", enabled: true, examples: [] });
  });

  it("reports missing, malformed and invalid drafts with paths, every issue kept", () => {
    expect(invalid(() => parseDraftField(form({}))).issues).toMatchObject([{ path: ["draft"] }]);
    const notJson = invalid(() => parseDraftField(form({ draft: "{" })));
    expect(notJson.message).toBe("The prompt draft is not valid JSON.");
    expect(notJson.malformed).toBe(true);
    const bad = invalid(() =>
      parseDraftField(form({ draft: JSON.stringify({ sections: [{ kind: "nope" }], variables: [{ name: "1x" }] }) })),
    );
    expect(bad.issues.map((i) => i.path.join("."))).toEqual(["sections.0.kind", "variables.0.name"]);
    const huge = invalid(() =>
      parseDraftField(form({ draft: JSON.stringify({ sections: [{ kind: "task", template: "x".repeat(200_001) }] }) })),
    );
    expect(huge.issues[0]!.path).toEqual(["sections", 0, "template"]);
  });

  it("parses meta fields, tags and folder", () => {
    expect(parseMetaFields(form({ name: " Support reply ", tags: "a, b, a,", folder: "support/email" }))).toEqual({
      name: "Support reply",
      description: "",
      tags: ["a", "b"],
      folder: "support/email",
    });
    expect(invalid(() => parseMetaFields(form({ name: "" }))).issues).toMatchObject([
      { path: ["name"], message: "is required" },
    ]);
    expect(invalid(() => parseMetaFields(form({ name: "x", folder: "a/../b" }))).issues).toMatchObject([
      { path: ["folder"] },
    ]);
  });

  it("checks the message and base version", () => {
    expect(parseMessage(form({ message: "  tweak  " }))).toBe("tweak");
    expect(invalid(() => parseMessage(form({ message: "x".repeat(501) }))).issues[0]!.path).toEqual(["message"]);
    expect(parseBaseVersion(form({ baseVersion: "3" }))).toBe(3);
    expect(invalid(() => parseBaseVersion(form({ baseVersion: "x" }))).issues[0]!.path).toEqual(["baseVersion"]);
  });
});
