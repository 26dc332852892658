/**
 * The library in a browser against the production build: search and filter (as you type and
 * without JavaScript), compare two versions, restore, move a label, resolve a save conflict, use
 * a snippet and see "used by", delete and restore from the trash. Screenshots (light, dark, 375 px)
 * go to tests/.artifacts/library-*.png.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import { createPrompt, saveVersion } from "~/models/prompt-store.server";
import type { PromptDraft } from "~/prompt/draft";
import { axeViolations, screenshot } from "../support/browser";
import { useServerAndBrowser } from "../support/e2e";

const draft = (task: string, extra: Partial<PromptDraft> = {}): PromptDraft => ({
  sections: [
    {
      id: "role",
      kind: "system",
      title: "Role",
      template: "You are a helpful support agent.",
      enabled: true,
      examples: [],
    },
    { id: "task", kind: "task", title: "Task", template: task, enabled: true, examples: [] },
  ],
  variables: [{ name: "customer", type: "string", required: true, default: "Ada", enumValues: [], description: "" }],
  modelSettings: { model: "gpt-4o", temperature: 0.2, stop: [] },
  ...extra,
});

describe("library in the browser", () => {
  const e2e = useServerAndBrowser({ database: "sqlite", seed: false });
  let page: Page;

  beforeAll(async () => {
    const { db } = createDb(e2e.server.databaseUrl);
    const refund = await createPrompt(db, {
      meta: {
        name: "Refund reply",
        description: "Answers refund requests politely",
        folder: "support/email",
        tags: ["support", "billing"],
      },
      draft: draft("Explain the refund policy to {{customer}}."),
      message: "First draft",
    });
    await saveVersion(db, {
      promptId: refund.prompt.id,
      baseVersion: 1,
      draft: draft("Explain the refund policy to {{customer}} in two sentences.", {
        modelSettings: { model: "gpt-4o", temperature: 0.5, stop: [] },
      }),
      message: "Shorter",
    });
    await createPrompt(db, {
      meta: {
        name: "Bug triage",
        description: "Sorts incoming bug reports by severity",
        folder: "engineering",
        tags: ["triage"],
      },
      draft: draft("Classify the bug report."),
    });
    await createPrompt(db, {
      meta: { name: "Welcome email", description: "Greets new customers", folder: "support/email", tags: ["support"] },
      draft: draft("Welcome {{customer}}."),
    });
    for (let i = 1; i <= 4; i++) {
      await createPrompt(db, {
        meta: {
          name: `Release note ${i}`,
          description: "Summarises a release",
          folder: "marketing",
          tags: ["release"],
        },
        draft: draft(`Note ${i}`),
      });
    }
    await db.$disconnect();
    page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 180_000);

  it("never loses what is typed while an earlier search is still loading", async () => {
    const typing = await e2e.browser.newPage();
    await typing.goto(`${e2e.server.baseUrl}/`);
    await typing.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
    // Hold the answer to the first search ("refund") until the user has typed more, then let it
    // land before the next debounced search (250 ms) starts: that answer must not reset the box.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let held = false;
    await typing.route(
      (url) => url.searchParams.get("q") === "refund",
      async (route) => {
        held = true;
        await released;
        // On a busy machine the next search may have started (and cancelled this one) meanwhile.
        await route.continue().catch(() => undefined);
      },
    );
    const box = typing.getByLabel("Search", { exact: true });
    await box.pressSequentially("refund", { delay: 20 });
    await expect.poll(() => held, { timeout: 5000 }).toBe(true);
    await box.pressSequentially(" p", { delay: 20 });
    // Listen before releasing, so a quick answer is not missed; a cancelled request ends it too.
    const settled = new Promise<void>((resolve) => {
      const done = (r: { url(): string }) => new URL(r.url()).searchParams.get("q") === "refund" && resolve();
      typing.on("requestfinished", done);
      typing.on("requestfailed", done);
    });
    release();
    await settled;
    // The answer has been taken in once the router is idle again, and React has painted it.
    await typing.waitForFunction(
      () =>
        (window as unknown as { __remixRouter: { state: { navigation: { state: string } } } }).__remixRouter.state
          .navigation.state === "idle",
    );
    await typing.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await box.inputValue()).toBe("refund p");
    await box.pressSequentially("ol", { delay: 20 });
    await typing.waitForURL(/q=refund\+pol/);
    expect(await box.inputValue()).toBe("refund pol");
    await typing.close();
  });

  it("searches for text typed before the page became interactive", async () => {
    const early = await e2e.browser.newPage();
    // Hold the client scripts so the typing certainly happens before hydration.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    await early.route(/\/build\/.*\.js$/, async (route) => {
      await released;
      await route.continue();
    });
    await early.goto(`${e2e.server.baseUrl}/`, { waitUntil: "domcontentloaded" });
    await early.getByLabel("Search", { exact: true }).pressSequentially("refund", { delay: 10 });
    release();
    await early.waitForURL(/q=refund/, { timeout: 10_000 });
    expect(await early.getByLabel("Search", { exact: true }).inputValue()).toBe("refund");
    await early.close();
  });

  it("searches as you type (debounced), keeps the query in the URL, filters, and works without JavaScript", async () => {
    await page.goto(`${e2e.server.baseUrl}/`);
    await page.getByRole("heading", { name: "Library" }).waitFor();
    await page.getByLabel("Search", { exact: true }).pressSequentially("refund pol", { delay: 30 });
    await page.waitForURL(/q=refund\+pol/);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=library-row]").length === 1);
    expect(await page.locator("[data-testid=library-row]").first().innerText()).toContain("Refund reply");
    // The URL can be shared and reloaded.
    await page.reload();
    expect(await page.getByLabel("Search", { exact: true }).inputValue()).toBe("refund pol");
    expect(await page.locator("[data-testid=library-row]").count()).toBe(1);

    await page.goto(`${e2e.server.baseUrl}/`);
    await page.locator("#tag").selectOption("support");
    await page.waitForURL(/tag=support/);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=library-row]").length === 2);
    await screenshot(page, "library-light");
    expect(await axeViolations(page)).toEqual([]);

    const noJs = await e2e.browser.newContext({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await plain.goto(`${e2e.server.baseUrl}/`);
    await plain.getByLabel("Search", { exact: true }).fill("severity");
    await plain.getByRole("button", { name: "Search", exact: true }).click();
    await plain.waitForURL(/q=severity/);
    expect(await plain.locator("[data-testid=library-row]").allInnerTexts()).toEqual([
      expect.stringContaining("Bug triage"),
    ]);
    // Paging without JavaScript: 7 prompts, 3 per page.
    await plain.goto(`${e2e.server.baseUrl}/?limit=3&sort=name`);
    await plain.getByRole("link", { name: "Next page →" }).click();
    // A full page load without JavaScript: wait until the second page is the document.
    await plain.waitForURL(/cursor=/, { waitUntil: "load" });
    expect(await plain.locator("[data-testid=library-row]").count()).toBe(3);
    await noJs.close();
  });

  it("looks right in dark mode and at 375 px", async () => {
    const dark = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: "dark" });
    await dark.goto(`${e2e.server.baseUrl}/`);
    await screenshot(dark, "library-dark");
    // The system theme follows the browser's colour scheme: the page really is dark.
    const background = (p: Page) => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.goto(`${e2e.server.baseUrl}/`);
    expect(await background(dark)).not.toBe(await background(page));
    expect(await background(dark)).toBe("rgb(15, 17, 21)");
    expect(await axeViolations(dark)).toEqual([]);
    await dark.goto(`${e2e.server.baseUrl}/prompts/refund-reply/compare?a=1&b=2`);
    await screenshot(dark, "library-compare-dark");
    await dark.close();
    const phone = await e2e.browser.newPage({ viewport: { width: 375, height: 800 } });
    await phone.goto(`${e2e.server.baseUrl}/`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await screenshot(phone, "library-375");
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.goto(`${e2e.server.baseUrl}/prompts/refund-reply/compare?a=1&b=2`);
    await screenshot(phone, "library-compare-375");
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await phone.close();
  });

  it("compares two versions side by side and restores an old one", async () => {
    await page.goto(`${e2e.server.baseUrl}/prompts/refund-reply/history`);
    await page.getByLabel("Compare from version 1").check();
    await page.getByLabel("Compare to version 2").check();
    await page.getByRole("button", { name: "Compare A → B" }).click();
    await page.waitForURL(
      (u) => u.pathname.endsWith("/compare") && u.searchParams.get("a") === "1" && u.searchParams.get("b") === "2",
    );
    await page.getByRole("heading", { name: "Compare v1 → v2" }).waitFor();
    expect(await page.locator(".section-diff ins").allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining("two sentences")]),
    );
    expect(await page.locator(".diff-table").innerText()).toContain("temperature");
    // The rendered output uses the same value on both sides.
    expect(await page.getByRole("region", { name: /Rendered output/ }).innerText()).toContain("Ada");
    await page.getByLabel(/customer/).fill("Grace");
    await page.getByRole("button", { name: "Compare", exact: true }).click();
    await page.waitForURL(/v\.customer=Grace/);
    // The URL changes before React has rendered the new loader data: wait for the render.
    await expect.poll(() => page.getByRole("region", { name: /Rendered output/ }).innerText()).toContain("Grace");
    await screenshot(page, "library-compare-light");
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${e2e.server.baseUrl}/prompts/refund-reply/history`);
    await page.getByTestId("version-1").getByRole("button", { name: "Restore" }).click();
    await page.getByText("Version 1 restored as version 3.").waitFor();
    expect(await page.getByTestId("version-3").innerText()).toContain("Restored version 1");
  });

  it("moves a label, recorded in the history", async () => {
    await page.goto(`${e2e.server.baseUrl}/prompts/refund-reply`);
    await page.locator("#label-name").selectOption("production");
    await page.locator("#label-version").selectOption("2");
    await page.getByRole("button", { name: "Move label" }).click();
    await page.getByText("Label updated.").waitFor();
    expect(await page.locator(".labels-table").innerText()).toMatch(/production\s+v2/);
    await page.locator("#label-version").selectOption("3");
    await page.getByRole("button", { name: "Move label" }).click();
    await page.waitForFunction(() =>
      /production\s+v3/.test((document.querySelector(".labels-table") as HTMLElement | null)?.innerText ?? ""),
    );
    await page.goto(`${e2e.server.baseUrl}/prompts/refund-reply/history`);
    expect(await page.getByRole("region", { name: "Label moves" }).innerText()).toMatch(
      /production moved from v2 to v3 by local/,
    );
    await screenshot(page, "library-history-light");
  });

  it("resolves a save conflict: both changes shown, user picks, merged version saved", async () => {
    // Someone saves v4 while our edit still starts from v3; the builder hands our save over.
    const { db } = createDb(e2e.server.databaseUrl);
    const p = await db.prompt.findFirstOrThrow({ where: { slug: "refund-reply" } });
    await saveVersion(db, {
      promptId: p.id,
      baseVersion: 3,
      draft: draft("Explain the refund policy to {{customer}} (their edit)."),
      message: "Their edit",
    });
    await db.$disconnect();
    const form = {
      draft: JSON.stringify(draft("Explain the refund policy to {{customer}} (my edit).")),
      baseVersion: "3",
      message: "My edit",
    };
    await page.goto(`${e2e.server.baseUrl}/prompts/refund-reply`);
    const url = await page.evaluate(async (body) => {
      const res = await fetch(location.pathname + "/conflict", { method: "POST", body: new URLSearchParams(body) });
      return res.url;
    }, form);
    expect(url).toMatch(/\/prompts\/refund-reply\/conflict\/\w+/);
    await page.goto(url);
    await page.getByRole("heading", { name: "Your save conflicts with newer changes" }).waitFor();
    expect(await page.getByRole("region", { name: /Your changes/ }).innerText()).toContain("my edit");
    expect(await page.getByRole("region", { name: /Saved in between/ }).innerText()).toContain("their edit");
    await screenshot(page, "library-conflict-light");
    expect(await axeViolations(page)).toEqual([]);
    // Overwriting needs an explicit confirmation.
    await page.getByRole("button", { name: "Overwrite with my version" }).click();
    await page.getByText("Tick the box to confirm").waitFor();
    await page.getByLabel("Keep theirs").check();
    await page.getByRole("button", { name: "Save merged version" }).click();
    await page.waitForURL(/history\?saved=5/);
    await page.goto(`${e2e.server.baseUrl}/prompts/refund-reply`);
    expect(await page.locator(".section-preview").nth(1).innerText()).toContain("(their edit)");
  });

  it("creates a snippet, uses it in a prompt and lists the prompt under 'used by'", async () => {
    await page.goto(`${e2e.server.baseUrl}/snippets`);
    await page.locator("#name").fill("polite_close");
    await page.locator("#template").fill("Thank you for your patience, {{customer}}.");
    await page.getByRole("button", { name: "Create snippet" }).click();
    await page.waitForURL(/\/snippets\/polite_close$/);
    // A snippet that includes itself is refused with a clear message.
    await page.locator("#template").fill("{{> polite_close}} again");
    await page.getByRole("button", { name: "Save new version" }).click();
    await page.getByText("A snippet cannot include itself").first().waitFor();

    const { db } = createDb(e2e.server.databaseUrl);
    const welcome = await db.prompt.findFirstOrThrow({ where: { slug: "welcome-email" } });
    await saveVersion(db, {
      promptId: welcome.id,
      baseVersion: 1,
      draft: draft("Welcome {{customer}}. {{> polite_close}}"),
      message: "Use the closing snippet",
    });
    await db.$disconnect();
    await page.goto(`${e2e.server.baseUrl}/snippets/polite_close`);
    expect(await page.getByRole("region", { name: "Used by" }).innerText()).toContain("Welcome email");
    await screenshot(page, "library-snippet-light");
    expect(await axeViolations(page)).toEqual([]);
  });

  it("moves a prompt to the trash and restores it", async () => {
    await page.goto(`${e2e.server.baseUrl}/prompts/bug-triage`);
    await page.getByRole("button", { name: "Move to trash" }).click();
    await page.waitForURL(/\/trash/);
    expect(await page.getByTestId("trash-row").innerText()).toContain("Bug triage");
    expect(await page.getByTestId("trash-row").innerText()).toContain("in 30 days");
    await screenshot(page, "library-trash-light");
    await page.goto(`${e2e.server.baseUrl}/?q=severity`);
    expect(await page.locator("[data-testid=library-row]").count()).toBe(0);
    await page.goto(`${e2e.server.baseUrl}/trash`);
    await page.getByRole("button", { name: "Restore Bug triage" }).click();
    await page.waitForURL(/\/prompts\/bug-triage/);
    await page.goto(`${e2e.server.baseUrl}/?q=severity`);
    expect(await page.locator("[data-testid=library-row]").count()).toBe(1);
  });

  it("shows bad input next to the field, never a 500", async () => {
    await page.goto(`${e2e.server.baseUrl}/prompts/refund-reply`);
    await page.getByLabel("Folder").fill("support/../etc");
    await page.getByRole("button", { name: "Move", exact: true }).click();
    await page.locator("#folder-error").waitFor();
    expect(await page.locator("#folder-error").innerText()).toMatch(/\.\./);
    await page.getByLabel("Name", { exact: true }).fill("  ");
    await page.getByRole("button", { name: "Save details" }).click();
    await page.locator("#name-error").waitFor();
    expect(await page.locator("#name-error").innerText()).toMatch(/required/);
    const res = await page.goto(`${e2e.server.baseUrl}/?folder=a/../b&cursor=zzz`);
    expect(res!.status()).toBe(200);
  });
});
