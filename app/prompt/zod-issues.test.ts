import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodIssues, zodProblem } from "./zod-issues";

describe("zod issues", () => {
  const schema = z.object({ name: z.string().min(1, "is required"), sections: z.array(z.object({ title: z.string().max(3, "too long") })) });
  const error = schema.safeParse({ name: "", sections: [{ title: "ok" }, { title: "much too long" }] }).error!;

  it("maps each issue to a plain path and its message", () => {
    expect(zodIssues(error)).toEqual([
      { path: ["name"], message: "is required" },
      { path: ["sections", 1, "title"], message: "too long" },
    ]);
  });

  it("prefixes paths (a form field holding JSON) and builds the API's problem body", () => {
    expect(zodIssues(error, ["draft"])[1]!.path).toEqual(["draft", "sections", 1, "title"]);
    expect(zodProblem(error)).toEqual({ error: "Some fields are not valid.", issues: zodIssues(error) });
  });
});
