import { describe, expect, it } from "vitest";
import { EXPORT_DISABLED, requireExportEnabled } from "./export-gate.server";

async function thrown(fn: () => void): Promise<{ status: number; type: string | null; body: string }> {
  try {
    fn();
  } catch (error) {
    if (error instanceof Response)
      return { status: error.status, type: error.headers.get("content-type"), body: await error.text() };
    const d = error as { init?: { status?: number }; data?: unknown };
    return { status: d.init?.status ?? 0, type: null, body: String(d.data) };
  }
  throw new Error("did not throw");
}

describe("requireExportEnabled", () => {
  it("lets the request through when exports are on", () => {
    expect(() => requireExportEnabled(new Request("http://x/api/v1/export"), true)).not.toThrow();
    expect(() => requireExportEnabled(new Request("http://x/prompts/a/download"), true)).not.toThrow();
  });

  it("answers an API path 404 problem+json when exports are off", async () => {
    const r = await thrown(() => requireExportEnabled(new Request("http://x/api/v1/export?all=1"), false));
    expect(r.status).toBe(404);
    expect(r.type).toBe("application/problem+json");
    expect(JSON.parse(r.body)).toMatchObject({ status: 404, error: EXPORT_DISABLED });
  });

  it("answers a page or resource route a plain 404 when exports are off", async () => {
    const r = await thrown(() => requireExportEnabled(new Request("http://x/prompts/a/download"), false));
    expect(r).toMatchObject({ status: 404, body: EXPORT_DISABLED });
  });
});
