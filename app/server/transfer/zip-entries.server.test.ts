import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeZip, patchEntry } from "../../../tests/support/zip-craft";
import { entryNameProblem, readZipEntries, ZIP_LIMITS } from "./zip-entries.server";

const paths = (r: ReturnType<typeof readZipEntries>) => (r.ok ? [] : r.issues.map((i) => i.path.join(".")));

describe("readZipEntries", () => {
  it("reads .prompt files and the manifest, ignoring directories and archiver litter", () => {
    const zip = makeZip({
      "b/x.prompt": "hello",
      "_s.prompt": "snippet",
      "prompt-builder.json": "{}",
      "__MACOSX/b/._x.prompt": "junk",
      ".DS_Store": "junk",
      "b/": "",
    });
    const read = readZipEntries(zip);
    expect(read).toEqual({
      ok: true,
      files: [
        { path: "_s.prompt", text: "snippet" },
        { path: "b/x.prompt", text: "hello" },
        { path: "prompt-builder.json", text: "{}" },
      ],
    });
  });

  it("refuses what is not a zip, damaged data and a failing CRC", () => {
    expect(readZipEntries(Buffer.from("not a zip at all, just text"))).toMatchObject({ ok: false, status: 400 });
    expect(readZipEntries(randomBytes(4096))).toMatchObject({ ok: false, status: 400 });
    const good = makeZip({ "a.prompt": "x".repeat(200) + "tail" }, 0);
    const corrupt = Buffer.from(good);
    corrupt[40] = corrupt[40]! ^ 0xff; // a stored byte: the CRC no longer matches
    expect(readZipEntries(corrupt)).toMatchObject({ ok: false, status: 400, issues: [{ path: ["a.prompt"] }] });
  });

  it("refuses bombs by their headers before inflating, and a header that lies while inflating", () => {
    const zeros = new Uint8Array(1024 * 1024);
    const bomb = makeZip({ "bomb.prompt": zeros }, 9);
    const ratio = readZipEntries(bomb);
    expect(ratio).toMatchObject({ ok: false, status: 422 });
    expect(JSON.stringify(ratio)).toMatch(/compresses \d+:1; at most 100:1/);
    const huge = patchEntry(bomb, "bomb.prompt", { size: 1_000_000_000 });
    const started = performance.now();
    expect(JSON.stringify(readZipEntries(huge))).toMatch(/would inflate to 1000000000 bytes/);
    expect(performance.now() - started).toBeLessThan(100);
    const liar = patchEntry(bomb, "bomb.prompt", { size: 1000 });
    expect(readZipEntries(liar)).toMatchObject({
      ok: false,
      status: 400,
      issues: [{ path: ["bomb.prompt"], message: "inflates to more than its header declares" }],
    });
  });

  it("counts entries and the total size against the limits", () => {
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}.prompt`, "x"]));
    expect(readZipEntries(makeZip(many), { ...ZIP_LIMITS, entries: 10 })).toMatchObject({
      ok: false,
      status: 422,
      issues: [{ path: [], message: "at most 10 entries" }],
    });
    const big = { "a.prompt": "a".repeat(600), "b.prompt": "b".repeat(600) };
    expect(paths(readZipEntries(makeZip(big), { ...ZIP_LIMITS, totalBytes: 1000 }))).toEqual([""]);
    expect(paths(readZipEntries(makeZip(big), { ...ZIP_LIMITS, entryBytes: 500 }))).toEqual(["a.prompt", "b.prompt"]);
  });

  it("refuses names outside the tree, duplicates, other files, encryption and other methods", () => {
    const zip = makeZip({
      "../x.prompt": "x",
      "/abs.prompt": "x",
      "a\\..\\b.prompt": "x",
      "C:/c.prompt": "x",
      "ok/./d.prompt": "x",
      "Same.prompt": "x",
      "same.prompt": "x",
      "README.md": "x",
    });
    const read = readZipEntries(zip);
    expect(read).toMatchObject({ ok: false, status: 422 });
    expect(paths(read).sort()).toEqual(
      [
        "../x.prompt",
        "/abs.prompt",
        "a\\..\\b.prompt",
        "C:/c.prompt",
        "ok/./d.prompt",
        "same.prompt",
        "README.md",
      ].sort(),
    );
    const twins = patchEntry(makeZip({ "a.prompt": "1", "b.prompt": "2" }), "b.prompt", { rename: "a.prompt" });
    expect(readZipEntries(twins)).toMatchObject({
      ok: false,
      issues: [{ path: ["a.prompt"], message: "appears twice" }],
    });
    const secret = patchEntry(makeZip({ "a.prompt": "1" }), "a.prompt", { flags: 1 });
    expect(readZipEntries(secret)).toMatchObject({ ok: false, issues: [{ message: "is encrypted" }] });
    const bzip = patchEntry(makeZip({ "a.prompt": "1" }), "a.prompt", { method: 12 });
    expect(readZipEntries(bzip)).toMatchObject({ ok: false, issues: [{ message: /compression method 12/ }] });
    expect(entryNameProblem("a/\u0007.prompt")).toMatch(/control/);
  });

  it("refuses entries that share their data (overlapping bombs), NUL characters and text that is not UTF-8", () => {
    const zip = makeZip({ "a.prompt": "one", "b.prompt": "two" }, 0);
    const overlapping = Buffer.from(zip);
    const central = overlapping.indexOf(Buffer.from("PK\x01\x02"));
    // Point the second central entry at the first entry's local header.
    let at = central;
    for (let n = 0; n < 2; n++) {
      if (n === 1) overlapping.writeUInt32LE(0, at + 42);
      at +=
        46 + overlapping.readUInt16LE(at + 28) + overlapping.readUInt16LE(at + 30) + overlapping.readUInt16LE(at + 32);
    }
    expect(readZipEntries(overlapping)).toMatchObject({
      ok: false,
      status: 400,
      issues: [{ message: 'shares its data with "a.prompt"' }],
    });
    expect(readZipEntries(makeZip({ "a.prompt": "a\u0000b" }))).toMatchObject({
      ok: false,
      issues: [{ path: ["a.prompt"], message: "contains a NUL character" }],
    });
    expect(readZipEntries(makeZip({ "a.prompt": new Uint8Array([0xff, 0xfe, 0x41]) }))).toMatchObject({
      ok: false,
      issues: [{ path: ["a.prompt"], message: "is not UTF-8 text" }],
    });
  });
});
