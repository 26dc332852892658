/**
 * Set-up the browser tests share: one production server and one Chromium per file, pages that
 * record console errors, CSP reports and uncaught exceptions, and the builder's locators.
 */
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { launchBrowser } from "./browser";
import { startServer, type RunningServer } from "./server";

export type E2e = { readonly server: RunningServer; readonly browser: Browser };

/** Starts a server and a browser before the file's tests and stops both after them. */
export function useServerAndBrowser(options: Parameters<typeof startServer>[0] = {}): E2e {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(options), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error("the server is not started yet (use it inside a test or hook)");
      return server;
    },
    get browser() {
      if (!browser) throw new Error("the browser is not started yet (use it inside a test or hook)");
      return browser;
    },
  };
}

/**
 * Collects what a page must never produce: console errors, CSP reports (the page's CSP forbids eval
 * and the builder no longer tries it, so any report is an error) and uncaught exceptions, from the
 * page and from its workers.
 */
export function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === "error" || /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
  };
  page.on("console", onConsole);
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("worker", (w) => w.on("console", onConsole));
  return problems;
}

/** A page in a fresh context; `problems` fills as it runs. */
export async function openPage(
  e2e: E2e,
  opts: {
    width?: number;
    height?: number;
    theme?: "light" | "dark";
    clipboard?: boolean;
    context?: BrowserContextOptions;
  } = {},
) {
  const context = await e2e.browser.newContext({
    viewport: { width: opts.width ?? 1440, height: opts.height ?? 1000 },
    ...opts.context,
  });
  if (opts.clipboard)
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: e2e.server.baseUrl });
  // The value as Remix's createCookie writes it (base64 of the JSON string).
  if (opts.theme)
    await context.addCookies([{ name: "pb_theme", value: btoa(JSON.stringify(opts.theme)), url: e2e.server.baseUrl }]);
  const page = await context.newPage();
  return { page, context, problems: recordProblems(page) };
}

export const preview = (page: Page) => page.locator('[data-testid="preview-text"]');
export const previewText = async (page: Page) => (await preview(page).textContent()) ?? "";
export const editor = (page: Page, label: string) => page.getByRole("textbox", { name: label, exact: true });

/** Opens the builder on a starter template and waits until the editors and the preview are up. */
export async function openStarter(page: Page, baseUrl: string, slug: string, until: "editor" | "preview" = "preview") {
  await page.goto(`${baseUrl}/prompts/new?starter=${slug}`);
  await page.waitForSelector('.template-editor[data-editor="codemirror"]');
  if (until === "preview") await expect.poll(() => preview(page).count()).toBeGreaterThan(0);
}

/** The looks every changed page is checked in: light and dark on a desktop, and light at 375 px. */
export const LOOKS = [
  { theme: "light", width: 1280 },
  { theme: "dark", width: 1280 },
  { theme: "light", width: 375 },
] as const;
