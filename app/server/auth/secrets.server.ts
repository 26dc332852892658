/**
 * Secrets handed to a browser or a program (session ids, API tokens, one-time links): random,
 * stored only as their sha256, and — for the session cookie — signed with SESSION_SECRET (a list:
 * the first signs, every one verifies, so a secret can be rotated without logging everyone out).
 */
import crypto from "node:crypto";

/** 32 random bytes, URL-safe. */
export function randomSecret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

export function sha256(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}

function mac(value: string, secret: string): string {
  return crypto.createHmac("sha256", secret).update(value).digest("base64url");
}

export function sign(value: string, secrets: readonly string[]): string {
  const [first] = secrets;
  if (!first) throw new Error("SESSION_SECRET is not set");
  return `${value}.${mac(value, first)}`;
}

/** The value when one of `secrets` signed it, else null. */
export function unsign(signed: string, secrets: readonly string[]): string | null {
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1));
  for (const secret of secrets) {
    const expected = Buffer.from(mac(value, secret));
    if (expected.length === given.length && crypto.timingSafeEqual(expected, given)) return value;
  }
  return null;
}
