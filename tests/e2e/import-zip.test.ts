/**
 * The /import page with a `.prompt` zip in a browser (light, dark, 375 px): the preview lists what
 * will be created and the manifest's labels an import does not move; importing links the prompt.
 * Screenshots go to tests/.artifacts/import-zip-*.png.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createDb } from "~/server/db.server";
import { axeViolations, screenshot } from "../support/browser";
import { LOOKS, openPage, useServerAndBrowser } from "../support/e2e";
import { makeZip } from "../support/zip-craft";

describe("importing a .prompt zip in the browser", () => {
  const e2e = useServerAndBrowser({ database: "sqlite", seed: false });

  it("previews the zip with the labels it leaves behind, then imports it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-zip-"));
    const file = path.join(dir, "support.zip");
    fs.writeFileSync(
      file,
      makeZip({
        "prompt-builder.json": JSON.stringify({
          formatVersion: 1,
          folder: "",
          prompts: {
            "support/welcome.prompt": {
              slug: "welcome",
              name: "Welcome",
              version: 3,
              labels: { production: 3, staging: 4 },
            },
          },
          snippets: {},
        }),
        "support/welcome.prompt":
          '---\nmodel: openai/gpt-4o\n---\n{{role "system"}}\nYou greet customers.\n{{role "user"}}\nWelcome {{name}}!\n',
      }),
    );
    for (const { theme, width } of LOOKS) {
      const { page, context, problems } = await openPage(e2e, { theme, width });
      await page.goto(`${e2e.server.baseUrl}/import`);
      await page.locator("#file").setInputFiles(file);
      await page.getByRole("button", { name: "Preview" }).click();
      await page.getByTestId("labels-not-moved").waitFor();
      expect(await page.getByTestId("labels-not-moved").innerText()).toBe(
        "welcome: production was on version 3\nwelcome: staging was on version 4",
      );
      await screenshot(page, `import-zip-preview-${theme}-${width}`);
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      // Nothing sticks out of its card (a select's longest option once pushed the form out at 375 px).
      const outside = await page.evaluate(() =>
        [...document.querySelectorAll(".panel.card")].flatMap((card) => {
          const edge = card.getBoundingClientRect().right;
          return [...card.querySelectorAll("select, fieldset, label, button, input:not([type=hidden])")]
            .filter((el) => el.getBoundingClientRect().right > edge + 1)
            .map((el) => el.outerHTML.slice(0, 80));
        }),
      );
      expect(outside).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }
    const { page, context } = await openPage(e2e);
    await page.goto(`${e2e.server.baseUrl}/import`);
    await page.locator("#file").setInputFiles(file);
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByTestId("labels-not-moved").getByRole("link", { name: "welcome" }).first().waitFor();
    await screenshot(page, "import-zip-done");
    await context.close();
    const { db } = createDb(e2e.server.databaseUrl);
    expect(await db.prompt.count({ where: { slug: "welcome", folder: { path: "support" } } })).toBe(1);
    expect(await db.label.count()).toBe(0);
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
