/**
 * Who a request comes from, for the rate limits: the peer address, or the address a trusted proxy
 * put in X-Forwarded-For (only when TRUST_PROXY says how many proxies append to it), or, once a
 * request has been authenticated, its API token or user. IPv6 clients are grouped by their /64
 * (one host usually holds the whole prefix, so counting single addresses would be no limit).
 */
import net from "node:net";

/**
 * The client's address. `trustedProxies` is how many proxies in front of the app append to
 * X-Forwarded-For: the client is the entry that many places from the right (entries further left
 * are whatever the client sent and can be forged). 0 ignores the header.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: number,
): string {
  let address = peer ?? "unknown";
  if (trustedProxies > 0 && forwardedFor) {
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const chosen = hops[Math.max(0, hops.length - trustedProxies)];
    if (chosen && net.isIP(stripPort(chosen))) address = stripPort(chosen);
  }
  return normalise(address);
}

/** `1.2.3.4:5678` and `[::1]:5678` (some proxies add the port) to the bare address. */
function stripPort(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value);
  return v4 ? v4[1]! : value;
}

function normalise(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (net.isIPv6(address)) return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
  return address;
}

function expandIpv6(address: string): string[] {
  const [head = "", tail] = address.toLowerCase().split("%")[0]!.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = tail === undefined ? [] : Array(Math.max(0, 8 - left.length - right.length)).fill("0");
  return [...left, ...middle, ...right].map((g) => g.replace(/^0+(?=.)/, ""));
}

/**
 * The rate-limit key of a client. Before authentication exists (or for anonymous requests) it is
 * the address; a request whose API token or signed-in user has been verified is keyed by that
 * instead, so programs behind one NAT do not share a limit and one token cannot spread over many
 * addresses. A token key may come from a token not yet verified (runtime.server.ts keys by its
 * hash): the route's guard refuses a wrong one before any work, and wrong tokens are limited per
 * address there (decision 102), so minting a fresh key per request buys nothing but 401s and 429s.
 */
export function clientKey(client: { address: string; tokenId?: string; userId?: string }): string {
  if (client.tokenId) return `token:${client.tokenId}`;
  if (client.userId) return `user:${client.userId}`;
  return `ip:${client.address}`;
}
