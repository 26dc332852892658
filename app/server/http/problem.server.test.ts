import { describe, expect, it } from "vitest";
import {
  ConflictError,
  CursorError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  VersionConflictError,
} from "~/prompt/errors";
import { problemSchema } from "~/prompt/problem";
import {
  apiResponse,
  bodyTooLargeProblem,
  pageAction,
  pageLoad,
  parseIntent,
  problemFor,
  PROBLEM_CONTENT_TYPE,
  unknownIntent,
} from "./problem.server";

const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
};

describe("problemFor: each domain error → status and body", () => {
  const cases: Array<[string, Error, number, Array<string | number>]> = [
    [
      "malformed input",
      new InvalidError("Bad", [{ path: ["draft"], message: "must be JSON" }], { malformed: true }),
      400,
      ["draft"],
    ],
    ["invalid input", InvalidError.field("name", "Name is required."), 422, ["name"]],
    ["a bad cursor", new CursorError(), 400, ["cursor"]],
    ["no such prompt", NotFoundError.prompt("nope"), 404, ["slug"]],
    ["no such version", NotFoundError.version(9), 404, ["version"]],
    ["no such label", NotFoundError.label("canary"), 404, ["label"]],
    ["no such snippet", NotFoundError.snippet("tone"), 404, ["name"]],
    ["a name taken", new ConflictError("prompt", "A prompt named x already exists.", "name"), 409, ["name"]],
    ["a newer save", new VersionConflictError("prompt", "p1", 2, 3), 409, ["baseVersion"]],
    ["not allowed", new ForbiddenError("Only an admin can move it.", "name"), 403, ["name"]],
  ];
  it.each(cases)("%s", (_what, error, status, path) => {
    const problem = problemFor(error)!;
    expect(problem.status).toBe(status);
    expect(problem.error).toBe(error.message);
    expect(problem.issues[0]!.path).toEqual(path);
    expect(problemSchema.safeParse(problem).success).toBe(true);
  });

  it("says what a version conflict is about: a snippet conflict never speaks of a prompt", () => {
    const snippet = problemFor(new VersionConflictError("snippet", "s1", 1, 2))!;
    expect(snippet.error).toBe("This snippet was saved as version 2 after you started editing version 1.");
    expect(snippet.conflict).toEqual({ about: "snippet", baseVersion: 1, headVersion: 2 });
    expect(snippet.issues).toEqual([{ path: ["baseVersion"], message: "the snippet is at version 2" }]);
    const prompt = problemFor(new VersionConflictError("prompt", "p1", 4, 6, "/prompts/x/conflict/c1"))!;
    expect(prompt.error).toMatch(/^This prompt was saved/);
    expect(prompt.conflict).toEqual({ about: "prompt", baseVersion: 4, headVersion: 6, url: "/prompts/x/conflict/c1" });
  });

  it("keeps every issue of an InvalidError", () => {
    const issues = [
      { path: ["name"], message: "Name is required." },
      { path: ["tags", 2], message: "Tag is too long." },
    ];
    expect(problemFor(new InvalidError("Two problems.", issues))!.issues).toEqual(issues);
  });

  it("is null for anything that is not a domain error (a bug: 500, logged by Remix)", () => {
    expect(problemFor(new Error("boom"))).toBeNull();
    expect(problemFor(new TypeError("x is undefined"))).toBeNull();
    expect(problemFor("thrown string")).toBeNull();
  });
});

describe("for resource routes and pages", () => {
  it("answers the API with application/problem+json and the problem's status", async () => {
    const res = await apiResponse(async () => {
      throw NotFoundError.prompt("nope");
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
    expect(await res.json()).toEqual(problemFor(NotFoundError.prompt("nope")));
    const ok = await apiResponse(async () => ({ hello: "world" }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ hello: "world" });
  });

  it("rethrows what is not a domain error", async () => {
    await expect(apiResponse(() => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
    await expect(pageAction(() => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
  });

  it("answers a database that cannot serve with 503, and a full one with 507, on pages and the API", async () => {
    const full = await pageAction(() => Promise.reject(new Error("SqliteError: database or disk is full")));
    expect(full).toMatchObject({ data: { problem: { status: 507 } }, init: { status: 507 } });
    const down = await apiResponse(() => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")));
    expect(down.status).toBe(503);
    expect((await down.json()).error).toContain("not available");
  });

  it("gives pages { problem } action data with the status", async () => {
    const result = await pageAction(async () => {
      throw new ForbiddenError("Only an admin can protect or unprotect a label.", "protected");
    });
    expect(result).toMatchObject({
      type: "DataWithResponseInit",
      data: { problem: { status: 403, issues: [{ path: ["protected"] }] } },
      init: { status: 403 },
    });
  });

  it("turns a domain error in a loader into the error page with its status", async () => {
    const thrown = await pageLoad(async () => {
      throw NotFoundError.version(7);
    }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
    expect(await (thrown as Response).text()).toBe("Version 7 does not exist for this prompt.");
  });

  it("refuses an unknown intent the same way everywhere", () => {
    expect(parseIntent(form({ intent: "trash" }), ["trash", "save"] as const)).toBe("trash");
    for (const f of [form({ intent: "bogus" }), form({})]) {
      expect(() => parseIntent(f, ["trash"] as const)).toThrow(unknownIntent().message);
    }
    expect(problemFor(unknownIntent())).toEqual({
      status: 400,
      error: unknownIntent().message,
      issues: [{ path: ["intent"], message: "unknown action" }],
    });
  });

  it("writes the 413 body once", () => {
    expect(bodyTooLargeProblem(10)).toEqual({
      status: 413,
      error: "The request body is too large.",
      issues: [{ path: [], message: "at most 10 bytes" }],
    });
  });
});
