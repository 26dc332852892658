/**
 * Single sign-on in Chromium against a real OpenID provider (oidc-provider on loopback): the login
 * page's "Sign in with …" button, the provider's own login page, and back signed in as a new account
 * with OIDC_DEFAULT_ROLE. Screenshots of the login page with the button, light and dark, 375 px.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, screenshot } from "../support/browser";
import { openPage, useServerAndBrowser } from "../support/e2e";
import { createTestProvider } from "../support/oidc-provider";

const provider = await createTestProvider({
  grace: { email: "grace@example.test", email_verified: true, name: "Grace Hopper" },
});

describe("single sign-on in a browser", () => {
  const e2e = useServerAndBrowser({
    seed: false,
    env: {
      ENABLE_AUTH: "true",
      SESSION_SECRET: "s".repeat(40),
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_ALLOWED_DOMAINS: "example.test",
      OIDC_DEFAULT_ROLE: "editor",
      OIDC_DISPLAY_NAME: "Test ID",
    },
  });
  beforeAll(async () => {
    await provider.start(e2e.server.baseUrl);
    // The first account (made with a password) is the admin; Grace's will be the second.
    const res = await fetch(`${e2e.server.baseUrl}/signup`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        name: "Admin",
        email: "admin@example.test",
        password: "correct horse admin battery",
      }),
    });
    expect(res.status).toBe(302);
  });
  afterAll(async () => provider.stop());

  it("signs in through the provider's login page and lands signed in", async () => {
    const { page, context, problems } = await openPage(e2e);
    await page.goto(`${e2e.server.baseUrl}/tags`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    await screenshot(page, "sso-login-light");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Sign in with Test ID" }).click();
    // The provider's own page.
    await expect.poll(() => page.url().startsWith(provider.issuer)).toBe(true);
    await page.getByPlaceholder("Enter any login").fill("grace");
    await page.getByPlaceholder("and password").fill("whatever the provider checks");
    await page.getByRole("button", { name: "Sign-in" }).click();
    // Back at the page asked for, signed in as an editor.
    await expect.poll(() => page.url()).toBe(`${e2e.server.baseUrl}/tags`);
    await expect.poll(() => page.getByRole("button", { name: "Log out" }).count()).toBe(1);
    await page.goto(`${e2e.server.baseUrl}/prompts/new`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("New prompt");
    await page.goto(`${e2e.server.baseUrl}/settings`);
    expect(await page.locator(".badge").first().textContent()).toBe("grace@example.test · editor");
    expect(problems.filter((p) => /Content Security Policy|Refused/.test(p))).toEqual([]);
    await context.close();
  });

  it("the login page with the button at 375 px, light and dark", async () => {
    for (const theme of ["light", "dark"] as const) {
      const { page, context } = await openPage(e2e, { width: 375, height: 800, theme });
      await page.goto(`${e2e.server.baseUrl}/login`);
      await screenshot(page, `sso-login-375-${theme}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    }
  });
});
