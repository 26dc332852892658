import { describe, expect, it } from "vitest";
import { boundaryProblem } from "./request-boundary.server";

const req = (url: string, headers: Record<string, string> = {}, method = "GET") => ({
  method,
  url,
  headers: { host: "app.example", ...headers },
});

describe("boundaryProblem", () => {
  it("lets ordinary requests through", () => {
    expect(boundaryProblem(req("/prompts/caf%C3%A9?q=a%0Ab&v.x=line%0Abreak"))).toBeNull();
    expect(boundaryProblem(req("/trash", { origin: "http://app.example" }, "POST"))).toBeNull();
  });

  it("refuses NUL anywhere in the URL and control characters in the path (400)", () => {
    expect(boundaryProblem(req("/prompts/%00"))).toMatchObject({ status: 400, issues: [{ path: ["url"] }] });
    expect(boundaryProblem(req("/prompts/a%0Ab/history"))).toMatchObject({ status: 400 });
    expect(boundaryProblem(req("/api/prompts?q=a%00b"))).toMatchObject({ status: 400, issues: [{ path: ["q"] }] });
    expect(boundaryProblem(req("/api/prompts?a%00=1"))).toMatchObject({ status: 400 });
  });

  it("refuses a Host that is not a host (400)", () => {
    expect(boundaryProblem(req("/", { host: "a b" }))).toMatchObject({ status: 400, issues: [{ path: ["host"] }] });
  });

  it("refuses a cross-site mutating request (403), dot segments resolved as the router will", () => {
    const evil = { origin: "http://evil.example" };
    expect(boundaryProblem(req("/trash", evil, "POST"))).toMatchObject({ status: 403 });
    // Not an API path once resolved, so no cookie-less pass.
    expect(boundaryProblem(req("/api/../trash", evil, "POST"))).toMatchObject({ status: 403 });
    expect(boundaryProblem(req("/api/prompts/x/render", evil, "POST"))).toBeNull();
  });
});
