/**
 * Who does a write: the one shape routes hand to repositories (label moves check its role; the
 * audit log records all of it). Built from the gate's principal by `actorOf` (guard.server.ts).
 */
import type { Role } from "./roles";

export type Actor = {
  /** The user's id; null in single-user mode (ENABLE_AUTH=false) or for the system. */
  id: string | null;
  role: Role;
  /** The API token the request came with, when it came with one. */
  tokenId?: string | null;
  /** The user's e-mail at the time (the audit log keeps it even after the account changes). */
  label?: string;
  /** The client's address, by the rate limiter's rule (TRUST_PROXY): client-address.server.ts. */
  address?: string;
};

/** Who acts when accounts are off: nobody in particular, allowed to do everything. */
export const LOCAL_ACTOR: Actor = { id: null, role: "admin" };

/** Work the app does by itself (the trash purge, say). */
export const SYSTEM_ACTOR: Actor = { id: null, role: "admin", label: "system" };
