/**
 * Issue 10/12: requests with an API token are limited per token, not per address: two programs
 * behind one address each get the whole allowance, one token is cut when it spends its own, and
 * requests without a token still share their address's. A made-up token buys nothing: 401.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFirstAdmin } from "~/models/accounts.server";
import { createApiToken } from "~/models/api-tokens.server";
import { createDb } from "~/server/db.server";
import { startServer, type RunningServer } from "../support/server";

const LIMIT = 3;
let server: RunningServer;
const tokens: string[] = [];

beforeAll(async () => {
  server = await startServer({
    database: "sqlite",
    env: { ENABLE_AUTH: "true", SESSION_SECRET: "y".repeat(40), RATE_LIMIT_RENDER_PER_MINUTE: String(LIMIT) },
  });
  const { db } = createDb(server.databaseUrl);
  try {
    const admin = await createFirstAdmin(
      db,
      { email: "ops@example.test", name: "Ops", password: "a long enough operator password" },
      { address: "" },
    );
    for (const name of ["a", "b"])
      tokens.push(
        (
          await createApiToken(
            db,
            { id: admin.id, role: "admin" },
            { name, scopes: ["read", "render"], labels: "" },
            { id: admin.id, role: "admin" },
          )
        ).token,
      );
  } finally {
    await db.$disconnect();
  }
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const render = (token: string | null) =>
  fetch(`${server.baseUrl}/api/v1/prompts/support-reply/render`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      target: "openai",
      variables: { customer_name: "Priya", customer_message: "Where is my refund?", tone: "apologetic" },
    }),
  });

describe("rate limits per API token", () => {
  it("gives each token its own allowance from one address, and cuts the one that spent it", async () => {
    for (let i = 0; i < LIMIT; i++) expect((await render(tokens[0]!)).status).toBe(200);
    const over = await render(tokens[0]!);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // The same address, another token: untouched by the first token's spending.
    for (let i = 0; i < LIMIT; i++) expect((await render(tokens[1]!)).status).toBe(200);
    expect((await render(tokens[1]!)).status).toBe(429);
  });

  it("answers a made-up token 401, never a render", async () => {
    const res = await render("pb_made_up_token_value");
    expect(res.status).toBe(401);
  });
});
