import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidError } from "./errors";
import { invalidFrom, parseInput, zodIssues } from "./zod-issues";

describe("zod issues", () => {
  const schema = z.object({
    name: z.string().min(1, "is required"),
    sections: z.array(z.object({ title: z.string().max(3, "too long") })),
  });
  const error = schema.safeParse({ name: "", sections: [{ title: "ok" }, { title: "much too long" }] }).error!;

  it("maps each issue to a plain path and its message", () => {
    expect(zodIssues(error)).toEqual([
      { path: ["name"], message: "is required" },
      { path: ["sections", 1, "title"], message: "too long" },
    ]);
  });

  it("prefixes paths (a form field holding JSON)", () => {
    expect(zodIssues(error, ["draft"])[1]!.path).toEqual(["draft", "sections", 1, "title"]);
  });
});

describe("parseInput", () => {
  const details = z.object({
    name: z.string().trim().min(1, "is required"),
    description: z.string().max(5, "must be at most 5 characters"),
  });

  it("returns the parsed value", () => {
    expect(parseInput(details, { name: " Ada ", description: "" })).toEqual({ name: "Ada", description: "" });
  });

  it("keeps every issue, not only the first, each at its field", () => {
    let thrown: unknown;
    try {
      parseInput(
        details,
        { name: "", description: "far too long" },
        { labels: { name: "Name", description: "Description" } },
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidError);
    const invalid = thrown as InvalidError;
    expect(invalid.issues).toEqual([
      { path: ["name"], message: "Name is required." },
      { path: ["description"], message: "Description must be at most 5 characters." },
    ]);
    // The headline names both, so a page that shows only it still tells the whole story.
    expect(invalid.message).toBe("Name is required. Description must be at most 5 characters.");
    expect(invalid.malformed).toBe(false);
  });

  it("puts a single value at its field and marks malformed input", () => {
    const tags = z.array(z.string().max(3, "must be at most 3 characters"));
    const invalid = invalidFrom(tags.safeParse(["ok", "long one", "also long"]).error!, {
      path: ["tags"],
      labels: { tags: "Tag" },
      malformed: true,
    });
    expect(invalid.issues.map((i) => i.path)).toEqual([
      ["tags", 1],
      ["tags", 2],
    ]);
    expect(invalid.malformed).toBe(true);
  });

  it("uses a generic headline when the fields have no labels", () => {
    expect(() => parseInput(details, {})).toThrow("Some fields are not valid.");
  });
});
