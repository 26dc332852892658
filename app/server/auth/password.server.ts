/**
 * Password hashing with node:crypto scrypt (no native add-on to build). Parameters are stored in the
 * hash, so they can be raised later and old hashes still verify. Passwords are never logged.
 * Parameters and their cost: docs/decisions/100-accounts-sessions-tokens.md.
 */
import crypto from "node:crypto";
import { promisify } from "node:util";
import commonPasswords from "./common-passwords.json";

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/**
 * N = 2^15, r = 8, p = 3: one of OWASP's equivalent scrypt settings (to N = 2^17, r = 8, p = 1), at
 * 32 MiB per hash instead of 128 MiB, so concurrent logins stay inside a small pod's memory.
 * About 0.3 s per hash on this project's 2-core test machine (decision 100).
 */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 3, keylen: 32 } as const;
const MAXMEM = 64 * 1024 * 1024;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

const COMMON = new Set<string>(commonPasswords as string[]);

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return "is one of the most common passwords; choose another";
  if (/^(.)\1+$/.test(password)) return "must not repeat one character";
  if (context.email && lower.includes(context.email.toLowerCase().split("@")[0] ?? "\0") && lower.length < 16)
    return "must not be built from your e-mail address";
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const { N, r, p, keylen } = SCRYPT;
  const key = await scrypt(password.normalize("NFKC"), salt, keylen, { N, r, p, maxmem: MAXMEM });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** True when `password` matches `stored`; a malformed or missing hash never matches. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? DUMMY_HASH).split("$");
  const [kind, n, r, p, saltText, keyText] = parts;
  if (parts.length !== 6 || kind !== "scrypt" || !saltText || !keyText) {
    await verifyPassword(password, DUMMY_HASH);
    return false;
  }
  const expected = Buffer.from(keyText, "base64url");
  const key = await scrypt(password.normalize("NFKC"), Buffer.from(saltText, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  });
  return stored != null && key.length === expected.length && crypto.timingSafeEqual(key, expected);
}

/**
 * A hash of nothing anyone knows: checked when the e-mail is unknown, so an unknown user costs the
 * same work as a wrong password and gets the same answer.
 */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${"A".repeat(22)}$${"A".repeat(43)}`;
