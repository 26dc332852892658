/**
 * A real OpenID Connect provider (the `oidc-provider` package) in this process, on loopback, for
 * single sign-on tests: one confidential client whose redirect URI is the app's callback, and test
 * accounts. Its development login page accepts any password; the login name picks the account.
 * The first-party client is pre-consented (as company providers do), so there is no consent step.
 */
import http from "node:http";
import Provider, { type Configuration } from "oidc-provider";
import { freePort } from "./server";

export type TestAccount = { email: string; email_verified: boolean; name: string };

export type TestProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  /** Call once the app's origin is known: registers its redirect URI and starts listening. */
  start: (appOrigin: string) => Promise<void>;
  stop: () => Promise<void>;
};

/** Picks the issuer's port now (the app must know OIDC_ISSUER before it starts). */
export async function createTestProvider(accounts: Record<string, TestAccount>): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "prompt-builder-test";
  const clientSecret = "test-client-secret-that-is-long-enough-000000";
  const table = new Map(Object.entries(accounts));
  let server: http.Server | undefined;

  return {
    issuer,
    clientId,
    clientSecret,
    accounts: table,
    async start(appOrigin: string) {
      const configuration: Configuration = {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [`${appOrigin}/auth/oidc/callback`],
            grant_types: ["authorization_code"],
            response_types: ["code"],
          },
        ],
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
        pkce: { required: () => true },
        cookies: { keys: ["test-cookie-key-0123456789abcdef"] },
        features: { devInteractions: { enabled: true } },
        async findAccount(_ctx, id) {
          const account = table.get(id);
          if (!account) return undefined;
          return { accountId: id, claims: async () => ({ sub: id, ...account }) };
        },
        async loadExistingGrant(ctx) {
          const accountId = ctx.oidc.session?.accountId;
          if (!accountId || !ctx.oidc.client) return undefined;
          const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
          grant.addOIDCScope("openid email profile");
          await grant.save();
          return grant;
        },
      };
      const provider = new Provider(issuer, configuration);
      server = http.createServer(provider.callback());
      await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    },
    async stop() {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
}
