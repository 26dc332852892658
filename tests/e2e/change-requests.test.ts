/**
 * A change request for a protected label in Chromium with ENABLE_AUTH=true: an editor asks to move
 * `production` from the prompt page, an admin finds the request in /admin, reads the rendered diff,
 * approves it, and the label has moved; the audit log shows it. Screenshots light, dark and 375 px.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { moveLabel } from "~/models/labels.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import { hashPassword } from "~/server/auth/password.server";
import { createDb } from "~/server/db.server";
import { axeViolations, screenshot } from "../support/browser";
import { openPage, useServerAndBrowser } from "../support/e2e";

const ADMIN = { email: "ada@example.test", password: "correct horse admin battery" };
const EDITOR = { email: "eve@example.test", password: "correct horse editor battery" };

const draft = (text: string) => ({
  sections: [{ id: "t", kind: "task" as const, title: "Task", template: text, enabled: true, examples: [] }],
  variables: [],
  modelSettings: { model: "gpt-4o", stop: [] },
});

async function logIn(page: Page, base: string, who: typeof ADMIN) {
  await page.goto(base + "/login");
  await page.getByLabel("E-mail").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe("/");
}

describe("change requests in a browser", () => {
  const e2e = useServerAndBrowser({ seed: false, env: { ENABLE_AUTH: "true", SESSION_SECRET: "c".repeat(40) } });

  it("an editor proposes, an admin approves, the label moved", async () => {
    const base = e2e.server.baseUrl;
    const { db } = createDb(e2e.server.databaseUrl);
    await db.user.create({
      data: { email: ADMIN.email, name: "Ada", role: "admin", passwordHash: await hashPassword(ADMIN.password) },
    });
    await db.user.create({
      data: { email: EDITOR.email, name: "Eve", role: "editor", passwordHash: await hashPassword(EDITOR.password) },
    });
    const { prompt } = await createPrompt(db, {
      meta: { name: "Support reply", description: "", folder: "", tags: [] },
      slug: "support-reply",
      draft: draft("Answer the customer politely."),
    });
    await saveVersion(db, {
      promptId: prompt.id,
      baseVersion: 1,
      draft: draft("Answer the customer warmly and briefly."),
    });
    await moveLabel(db, {
      promptId: prompt.id,
      name: "production",
      version: 1,
      protect: true,
      actor: null,
      authEnabled: false,
    });
    await db.$disconnect();

    // The editor asks for production → v2.
    const eve = await openPage(e2e);
    await logIn(eve.page, base, EDITOR);
    await eve.page.goto(base + "/prompts/support-reply");
    await eve.page.getByLabel("Label", { exact: true }).selectOption("production");
    await eve.page.locator("#label-version").selectOption("2");
    await eve.page.getByLabel("Comment for the approver").fill("Customers asked for shorter answers.");
    await eve.page.getByRole("button", { name: "Move label or request the move" }).click();
    await expect.poll(() => new URL(eve.page.url()).pathname).toMatch(/^\/prompts\/support-reply\/change-requests\//);
    await expect.poll(() => eve.page.getByText("Change request opened").count()).toBe(1);
    // She cannot approve her own request; she may withdraw it.
    expect(await eve.page.getByRole("button", { name: "Approve and move the label" }).count()).toBe(0);
    expect(await eve.page.getByRole("button", { name: "Withdraw my request" }).count()).toBe(1);
    const requestUrl = eve.page.url().split("?")[0]!;

    // The admin finds it in /admin, reads the diff and approves.
    const ada = await openPage(e2e);
    await logIn(ada.page, base, ADMIN);
    await ada.page.goto(base + "/admin");
    const request = ada.page.getByRole("link", { name: /Support reply · production v1 → v2/ });
    await expect.poll(() => request.count()).toBe(1);
    await request.click();
    await expect.poll(() => ada.page.url().split("?")[0]).toBe(requestUrl);
    expect(await ada.page.getByText("Customers asked for shorter answers.").count()).toBeGreaterThan(0);
    expect(await ada.page.locator(".diff-column").last().textContent()).toContain("warmly");
    await screenshot(ada.page, "change-request-light");
    expect(await axeViolations(ada.page)).toEqual([]);
    await ada.page.getByLabel("Comment").fill("Looks good.");
    await ada.page.getByRole("button", { name: "Approve and move the label" }).click();
    await expect.poll(() => ada.page.getByText("Approved: the label moved.").count()).toBe(1);

    // The label moved: the prompt page says so, and the request is listed as approved.
    await eve.page.goto(base + "/prompts/support-reply");
    const row = eve.page.locator(".labels-table tr", { hasText: "production" });
    await expect.poll(() => row.textContent()).toContain("v2");
    expect(await eve.page.locator(".change-requests").textContent()).toContain("approved");

    // The audit log has the request, the approval and the move.
    await ada.page.goto(base + "/admin/audit?action=changeRequest");
    await expect.poll(() => ada.page.locator(".audit-table tbody tr").count()).toBe(2);
    await ada.page.goto(base + "/admin/audit");
    const log = (await ada.page.locator(".audit-table").textContent()) ?? "";
    for (const action of ["changeRequest.open", "changeRequest.approve", "label.move"]) expect(log).toContain(action);
    await screenshot(ada.page, "audit-log-light");
    expect(await axeViolations(ada.page)).toEqual([]);
    // No CSP report, console error or uncaught exception (a server module in a page's bundle, say).
    expect([...ada.problems, ...eve.problems]).toEqual([]);
    expect(await ada.page.evaluate(() => "__remixRouter" in window)).toBe(true);

    // The pages at 375 px and in the dark theme.
    for (const theme of ["light", "dark"] as const) {
      const small = await openPage(e2e, { width: 375, height: 800, theme });
      await logIn(small.page, base, ADMIN);
      for (const [path, name] of [
        [requestUrl.replace(base, ""), "change-request"],
        ["/admin/audit", "audit-log"],
        ["/prompts/support-reply", "prompt-labels"],
      ] as const) {
        await small.page.goto(base + path);
        await screenshot(small.page, `${name}-375-${theme}`);
        const overflow = await small.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path} ${theme}`).toBeLessThanOrEqual(0);
      }
      expect(await axeViolations(small.page)).toEqual([]);
      await small.context.close();
    }
    await ada.context.close();
    await eve.context.close();
  });
});
