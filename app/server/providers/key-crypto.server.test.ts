import { describe, expect, it } from "vitest";
import { openKey, ProviderKeyError, sealKey, sealedWith, secretId } from "./key-crypto.server";

const OLD = "o".repeat(40);
const NEW = "n".repeat(40);
const KEY = "sk-live-THE-REAL-KEY-1234567890";

describe("provider key encryption", () => {
  it("round-trips, and the stored text holds neither the key nor the secret", () => {
    const stored = sealKey(KEY, "row-1", [OLD]);
    expect(stored).toMatch(/^v1\.[\w-]{8}\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain(KEY);
    expect(stored).not.toContain(OLD);
    expect(openKey(stored, "row-1", [OLD])).toBe(KEY);
  });

  it("seals the same key differently each time (random salt and IV)", () => {
    expect(sealKey(KEY, "row-1", [OLD])).not.toBe(sealKey(KEY, "row-1", [OLD]));
  });

  it("refuses a wrong or missing secret with a clear error", () => {
    const stored = sealKey(KEY, "row-1", [OLD]);
    expect(() => openKey(stored, "row-1", [NEW])).toThrow(ProviderKeyError);
    expect(() => openKey(stored, "row-1", [NEW])).toThrow(/not in PROVIDER_KEY_SECRET/);
    expect(() => openKey(stored, "row-1", [])).toThrow(/PROVIDER_KEY_SECRET is not set/);
    expect(() => sealKey(KEY, "row-1", [])).toThrow(ProviderKeyError);
  });

  it("refuses a ciphertext moved to another row or altered", () => {
    const stored = sealKey(KEY, "row-1", [OLD]);
    expect(() => openKey(stored, "row-2", [OLD])).toThrow(/does not decrypt/);
    const parts = stored.split(".");
    const ct = Buffer.from(parts[5]!, "base64url");
    ct[0]! ^= 1;
    parts[5] = ct.toString("base64url");
    expect(() => openKey(parts.join("."), "row-1", [OLD])).toThrow(/does not decrypt/);
    expect(() => openKey("plain-text-key", "row-1", [OLD])).toThrow(/not in a known format/);
  });

  it("rotation: with NEW,OLD configured, keys sealed with OLD still open; new keys are sealed with NEW", () => {
    const old = sealKey(KEY, "row-1", [OLD]);
    expect(sealedWith(old)).toBe(secretId(OLD));
    expect(openKey(old, "row-1", [NEW, OLD])).toBe(KEY);
    const fresh = sealKey(KEY, "row-1", [NEW, OLD]);
    expect(sealedWith(fresh)).toBe(secretId(NEW));
    expect(openKey(fresh, "row-1", [NEW])).toBe(KEY);
  });
});
