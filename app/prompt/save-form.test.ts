import { describe, expect, it } from "vitest";
import { isFormError, parseBaseVersion, parseDraftField, parseMessage, parseMetaFields } from "./save-form";

const form = (o: Record<string, string>) => ({ get: (k: string) => o[k] ?? null });

describe("save form", () => {
  it("parses a valid draft", () => {
    const r = parseDraftField(form({ draft: JSON.stringify({ sections: [{ kind: "task", template: "Hi" }] }) }));
    expect(isFormError(r)).toBe(false);
    if (!isFormError(r)) expect(r.draft.sections[0]).toMatchObject({ kind: "task", title: "", enabled: true, examples: [] });
  });

  it("reports missing, malformed and invalid drafts with paths", () => {
    expect(parseDraftField(form({}))).toMatchObject({ issues: [{ path: ["draft"] }] });
    expect(parseDraftField(form({ draft: "{" }))).toMatchObject({ error: "The prompt draft is not valid JSON." });
    const bad = parseDraftField(form({ draft: JSON.stringify({ sections: [{ kind: "nope" }], variables: [{ name: "1x" }] }) }));
    expect(isFormError(bad) && bad.issues.map((i) => i.path.join("."))).toEqual(["sections.0.kind", "variables.0.name"]);
    const huge = parseDraftField(form({ draft: JSON.stringify({ sections: [{ kind: "task", template: "x".repeat(200_001) }] }) }));
    expect(isFormError(huge) && huge.issues[0]!.path).toEqual(["sections", 0, "template"]);
  });

  it("parses meta fields, tags and folder", () => {
    const r = parseMetaFields(form({ name: " Support reply ", tags: "a, b, a,", folder: "support/email" }));
    expect(r).toEqual({ meta: { name: "Support reply", description: "", tags: ["a", "b"], folder: "support/email" } });
    expect(parseMetaFields(form({ name: "" }))).toMatchObject({ issues: [{ path: ["name"], message: "is required" }] });
    expect(parseMetaFields(form({ name: "x", folder: "a/../b" }))).toMatchObject({ issues: [{ path: ["folder"] }] });
  });

  it("checks the message and base version", () => {
    expect(parseMessage(form({ message: "  tweak  " }))).toEqual({ message: "tweak" });
    expect(isFormError(parseMessage(form({ message: "x".repeat(501) })))).toBe(true);
    expect(parseBaseVersion(form({ baseVersion: "3" }))).toEqual({ baseVersion: 3 });
    expect(isFormError(parseBaseVersion(form({ baseVersion: "x" })))).toBe(true);
  });
});
