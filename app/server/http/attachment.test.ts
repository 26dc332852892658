import { describe, expect, it } from "vitest";
import { attachment } from "./attachment";

describe("attachment", () => {
  it("keeps a plain name as it is", () => {
    expect(attachment("support-email.zip")).toBe(
      `attachment; filename="support-email.zip"; filename*=UTF-8''support-email.zip`,
    );
  });

  it("lets no quote or line break into the header, and keeps the exact name encoded", () => {
    const value = attachment('line\r\nSet-Cookie: pwned=1".zip');
    expect(value).not.toMatch(/[\r\n]/);
    expect(value.split('"').length).toBe(3);
    expect(value).toContain("filename*=UTF-8''line%0D%0ASet-Cookie%3A%20pwned%3D1%22.zip");
    expect(() => new Headers({ "Content-Disposition": value })).not.toThrow();
  });

  it("writes non-ASCII names for clients that read filename*", () => {
    expect(attachment("Réponses clients.md")).toContain("filename*=UTF-8''R%C3%A9ponses%20clients.md");
  });
});
