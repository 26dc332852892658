/**
 * API keys of providers configured in the app, encrypted at rest: AES-256-GCM with a key derived by
 * HKDF-SHA256 from `PROVIDER_KEY_SECRET` (a random salt per key, the provider's row id as the
 * additional data, so a ciphertext copied onto another row does not decrypt). The stored text names
 * the secret that sealed it by a short fingerprint, so with several secrets configured (the first
 * seals, all open) a rotation re-seals rows one by one (docs/decisions/111-provider-keys-encrypted-at-rest.md).
 *
 * Stored form: `v1.<kid>.<salt>.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const INFO = "prompt-builder provider api key v1";

/** Raised when no configured secret opens a stored key (wrong, missing or rotated-away secret). */
export class ProviderKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderKeyError";
  }
}

/** A short, public fingerprint of a secret: which secret sealed a key, without revealing it. */
export function secretId(secret: string): string {
  return createHash("sha256").update(`provider-key-id:${secret}`).digest("base64url").slice(0, 8);
}

function derive(secret: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, salt, INFO, 32));
}

export function sealKey(plain: string, rowId: string, secrets: readonly string[]): string {
  const secret = secrets[0];
  if (!secret) throw new ProviderKeyError("PROVIDER_KEY_SECRET is not set: keys cannot be stored.");
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derive(secret, salt), iv);
  cipher.setAAD(Buffer.from(rowId, "utf8"));
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, secretId(secret), salt, iv, tag, ct]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** Which secret sealed a stored key (its fingerprint), or null for text that is not ours. */
export function sealedWith(stored: string): string | null {
  const parts = stored.split(".");
  return parts.length === 6 && parts[0] === VERSION ? parts[1]! : null;
}

export function openKey(stored: string, rowId: string, secrets: readonly string[]): string {
  const parts = stored.split(".");
  if (parts.length !== 6 || parts[0] !== VERSION)
    throw new ProviderKeyError("The stored key is not in a known format.");
  const [, kid, salt, iv, tag, ct] = parts as [string, string, string, string, string, string];
  const secret = secrets.find((s) => secretId(s) === kid);
  if (!secret) {
    throw new ProviderKeyError(
      secrets.length === 0
        ? "PROVIDER_KEY_SECRET is not set, so the stored key cannot be read."
        : "The key was encrypted with a secret that is not in PROVIDER_KEY_SECRET; add it back or enter the key again.",
    );
  }
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      derive(secret, Buffer.from(salt, "base64url")),
      Buffer.from(iv, "base64url"),
    );
    decipher.setAAD(Buffer.from(rowId, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new ProviderKeyError(
      "The stored key does not decrypt (it was altered or belongs to another row); enter it again.",
    );
  }
}
