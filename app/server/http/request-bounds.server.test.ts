import { describe, expect, it } from "vitest";
import { bodyLimitFor } from "./request-bounds.server";

const limits = { form: 8, json: 2, other: 1 };

describe("bodyLimitFor", () => {
  it("gives forms, JSON and zips to import their limits, anything else the default", () => {
    expect(bodyLimitFor(limits, "multipart/form-data; boundary=x")).toBe(8);
    expect(bodyLimitFor(limits, "application/x-www-form-urlencoded")).toBe(8);
    expect(bodyLimitFor(limits, "application/json")).toBe(2);
    expect(bodyLimitFor(limits, "application/merge-patch+json; charset=utf-8")).toBe(2);
    expect(bodyLimitFor(limits, "application/zip")).toBe(2);
    expect(bodyLimitFor(limits, "application/x-zip-compressed")).toBe(2);
    expect(bodyLimitFor(limits, "application/zipx")).toBe(1);
    expect(bodyLimitFor(limits, "text/x-dotprompt")).toBe(1);
    expect(bodyLimitFor(limits, undefined)).toBe(1);
  });
});
