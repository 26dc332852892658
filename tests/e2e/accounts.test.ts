/**
 * Accounts in Chromium with ENABLE_AUTH=true: first-run admin creation, an invitation and the
 * sign-up it opens, login, a wrong password, logout, and a role change taking effect. Screenshots
 * of the new pages, light and dark and 375 px wide.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { axeViolations, screenshot } from "../support/browser";
import { openPage, useServerAndBrowser } from "../support/e2e";

const ADMIN = { name: "Ada Admin", email: "ada@example.test", password: "correct horse admin battery" };
const BOB = { name: "Bob Viewer", email: "bob@example.test", password: "correct horse bob battery" };

async function fillSignUp(page: Page, who: typeof ADMIN) {
  await page.getByLabel("Name").fill(who.name);
  await page.getByLabel("E-mail").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
}

async function logIn(page: Page, who: typeof ADMIN, password = who.password) {
  await page.getByLabel("E-mail").fill(who.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

describe("accounts in a browser", () => {
  const e2e = useServerAndBrowser({ env: { ENABLE_AUTH: "true", SESSION_SECRET: "e".repeat(40) } });

  it("first run, invitation, sign-up, wrong password, logout and a role change", async () => {
    const base = e2e.server.baseUrl;
    const admin = await openPage(e2e);
    // Nothing is reachable anonymously: the library sends to login, which (no accounts yet) sends to first run.
    await admin.page.goto(base + "/");
    await expect.poll(() => new URL(admin.page.url()).pathname).toBe("/signup");
    expect(await admin.page.getByRole("heading", { level: 1 }).textContent()).toBe("Create the admin account");
    await screenshot(admin.page, "accounts-first-run-light");
    await fillSignUp(admin.page, ADMIN);
    await admin.page.getByRole("button", { name: "Create admin account" }).click();
    await expect.poll(() => new URL(admin.page.url()).pathname).toBe("/");
    await admin.page.getByRole("link", { name: "Admin", exact: true }).click();
    await expect.poll(() => admin.page.getByRole("heading", { name: "Users" }).count()).toBe(1);

    // Invite a viewer.
    await admin.page.getByLabel("Invite a new").selectOption("viewer");
    await admin.page.getByRole("button", { name: "Create invitation link" }).click();
    const code = admin.page.locator("code.token-once");
    await expect.poll(() => code.count()).toBe(1);
    const inviteUrl = (await code.textContent())!;
    expect(inviteUrl).toMatch(/\/signup\?invite=/);
    await screenshot(admin.page, "accounts-admin-light");

    // Bob signs up through the link, in another browser context.
    const bob = await openPage(e2e, { theme: "dark" });
    await bob.page.goto(inviteUrl);
    expect(await bob.page.getByText("You were invited as").textContent()).toContain("viewer");
    await screenshot(bob.page, "accounts-signup-dark");
    await fillSignUp(bob.page, BOB);
    await bob.page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => new URL(bob.page.url()).pathname).toBe("/");
    // A viewer gets no "New prompt" button.
    expect(await bob.page.getByRole("link", { name: "New prompt" }).count()).toBe(0);

    // Logout, then a wrong password, then the right one.
    await bob.page.getByRole("button", { name: "Log out" }).click();
    await expect.poll(() => new URL(bob.page.url()).pathname).toBe("/login");
    await logIn(bob.page, BOB, "not my password at all");
    await expect.poll(() => bob.page.getByRole("alert").textContent()).toBe("The e-mail or password is not right.");
    await screenshot(bob.page, "accounts-login-error-dark");
    await logIn(bob.page, BOB);
    await expect.poll(() => new URL(bob.page.url()).pathname).toBe("/");
    await bob.page.goto(base + "/prompts/new");
    expect(await bob.page.getByRole("heading", { level: 1 }).textContent()).toContain("403");

    // The admin promotes Bob to editor: his next request may create prompts.
    await admin.page.reload();
    const row = admin.page.getByRole("row", { name: /bob@example.test/ });
    await row.getByLabel("Role of bob@example.test").selectOption("editor");
    await row.getByRole("button", { name: "Set", exact: true }).click();
    await expect.poll(() => admin.page.getByText("Role changed.").count()).toBe(1);
    await bob.page.goto(base + "/prompts/new");
    expect(await bob.page.getByRole("heading", { level: 1 }).textContent()).toBe("New prompt");

    expect(await axeViolations(admin.page)).toEqual([]);
    expect(await axeViolations(bob.page)).toEqual([]);
    expect(admin.problems.filter((p) => /Content Security Policy|Refused/.test(p))).toEqual([]);
    await admin.context.close();
    await bob.context.close();
  });

  it("the account pages at 375 px, light and dark", async () => {
    for (const theme of ["light", "dark"] as const) {
      const { page, context } = await openPage(e2e, { width: 375, height: 800, theme });
      await page.goto(e2e.server.baseUrl + "/login");
      await screenshot(page, `accounts-login-375-${theme}`);
      await logIn(page, ADMIN);
      await expect.poll(() => new URL(page.url()).pathname).toBe("/");
      await screenshot(page, `accounts-library-375-${theme}`);
      await page.goto(e2e.server.baseUrl + "/settings");
      await screenshot(page, `accounts-settings-375-${theme}`);
      await page.goto(e2e.server.baseUrl + "/admin");
      await screenshot(page, `accounts-admin-375-${theme}`);
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll("body *")]
          .filter(
            (el) =>
              !el.parentElement?.closest(".table-wrap") && el.getBoundingClientRect().right > window.innerWidth + 1,
          )
          .slice(0, 5)
          .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`),
      );
      expect(wide).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    }
  });
});
