import { describe, expect, it } from "vitest";
import { MAX_INT32, versionFromText, versionNumberSchema, versionTextSchema } from "./numbers";

describe("version numbers fit a 32-bit integer column", () => {
  it("reads digits from 1 to 2,147,483,647 and nothing else", () => {
    expect(versionFromText("1")).toBe(1);
    expect(versionFromText(" 12 ")).toBe(12);
    expect(versionFromText("2147483647")).toBe(MAX_INT32);
    for (const bad of ["", "0", "-1", "1.5", "1e3", "0x10", "abc", "2147483648", "99999999999999999999", null, 3])
      expect(versionFromText(bad), String(bad)).toBeNull();
  });

  it("has the same bounds in JSON and in query strings", () => {
    expect(versionNumberSchema.safeParse(2147483647).success).toBe(true);
    for (const bad of [0, -1, 1.5, 2147483648, 1e20, "1"])
      expect(versionNumberSchema.safeParse(bad).success).toBe(false);
    expect(versionTextSchema.parse("7")).toBe(7);
    expect(versionTextSchema.safeParse("2147483648").success).toBe(false);
  });
});
