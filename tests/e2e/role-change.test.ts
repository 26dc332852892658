/**
 * Issue 12: a role change by the admin takes effect on the user's very next request. An editor has
 * the builder open; the admin makes them a viewer; their save is refused with 403 (no version is
 * made), and the next page offers no Edit button, no Edit link in the library and no Trash.
 */
import { describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import { editor, openPage, useServerAndBrowser } from "../support/e2e";
import { screenshot } from "../support/browser";

const PASSWORD = "correct horse eddie battery";

describe("a role change in a browser", () => {
  const e2e = useServerAndBrowser({
    env: { ENABLE_AUTH: "true", SESSION_SECRET: "r".repeat(40), SIGNUP: "open" },
  });

  async function signUp(name: string) {
    const res = await fetch(`${e2e.server.baseUrl}/signup`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name, email: `${name}@example.test`, password: `correct horse ${name} battery` }),
    });
    expect(res.status).toBe(302);
    return res.headers.getSetCookie()[0]!.split(";")[0]!;
  }
  async function setRole(adminCookie: string, userId: string, role: string) {
    const res = await fetch(`${e2e.server.baseUrl}/admin`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: adminCookie },
      body: new URLSearchParams({ intent: "role", userId, role }),
    });
    expect(await res.text()).toContain("Role changed.");
  }

  it("an editor made a viewer is refused on the next save and loses the edit controls", async () => {
    const base = e2e.server.baseUrl;
    const { db } = createDb(e2e.server.databaseUrl);
    const admin = await signUp("admin");
    await signUp("eddie");
    const eddie = await db.user.findUniqueOrThrow({ where: { email: "eddie@example.test" } });
    await setRole(admin, eddie.id, "editor");

    const { page, context } = await openPage(e2e);
    await page.goto(`${base}/login`);
    await page.getByLabel("E-mail").fill("eddie@example.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/");
    await page.goto(`${base}/prompts/summarise-text`);
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    await page.waitForSelector('.template-editor[data-editor="codemirror"]');
    await editor(page, "Template for Task").fill("Summarise the text in one line.");
    const before = await db.prompt.findUniqueOrThrow({ where: { slug: "summarise-text" } });

    // The admin demotes Eddie while his builder is open.
    await setRole(admin, eddie.id, "viewer");
    await page.getByRole("button", { name: "Save version" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("403");
    expect(await page.getByText("This needs the editor role; your account is a viewer.").count()).toBe(1);
    await screenshot(page, "role-change-403");
    expect((await db.prompt.findUniqueOrThrow({ where: { slug: "summarise-text" } })).headVersion).toBe(
      before.headVersion,
    );

    // The next pages offer nothing a viewer cannot do.
    await page.goto(`${base}/prompts/summarise-text`);
    await expect.poll(() => page.getByRole("link", { name: "History", exact: true }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Edit", exact: true }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Move to trash" }).count()).toBe(0);
    await page.goto(`${base}/`);
    await expect.poll(() => page.getByTestId("library-row").count()).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: /^Edit / }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Trash" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "New prompt" }).count()).toBe(0);
    await screenshot(page, "role-change-viewer-library");

    // Made an editor again: the controls come back on the next page.
    await setRole(admin, eddie.id, "editor");
    await page.goto(`${base}/prompts/summarise-text`);
    await expect.poll(() => page.getByRole("link", { name: "Edit", exact: true }).count()).toBe(1);
    await context.close();
    await db.$disconnect();
  });
});
