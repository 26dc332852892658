/**
 * The client's address for a Web Request. The HTTP wrapper (http-instrumentation.server.ts) works
 * it out once per request from the socket with the rate limiter's rule (X-Forwarded-For only as far
 * as TRUST_PROXY trusts it) and stamps it on the incoming headers, overwriting whatever the client
 * sent under that name; Remix's Request then carries it here.
 */
export const CLIENT_ADDRESS_HEADER = "x-pb-client-address";

export function requestClientAddress(request: Request): string {
  return (request.headers.get(CLIENT_ADDRESS_HEADER) ?? "").slice(0, 64);
}
