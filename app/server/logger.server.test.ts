import { describe, expect, it } from "vitest";
import { createLogger, formatLogLine } from "./logger.server";

describe("logger", () => {
  it("writes one JSON object per line with level, time, msg and context", () => {
    const line = formatLogLine("info", "saved", { promptId: "p1", version: 3 }, new Date("2026-01-02T03:04:05.000Z"));
    expect(JSON.parse(line)).toEqual({
      level: "info",
      time: "2026-01-02T03:04:05.000Z",
      msg: "saved",
      promptId: "p1",
      version: 3,
    });
    expect(line).not.toContain("\n");
  });

  it("serialises errors with their stack", () => {
    const parsed = JSON.parse(formatLogLine("error", "failed", { err: new TypeError("boom") }));
    expect(parsed.err.name).toBe("TypeError");
    expect(parsed.err.message).toBe("boom");
    expect(parsed.err.stack).toContain("TypeError: boom");
  });

  it("serialises thrown non-Errors with their fields, never as [object Object]", () => {
    const parsed = JSON.parse(
      formatLogLine("info", "rejected", {
        err: { status: 404, statusText: "Not Found", data: 'No route matches URL "/x"' },
      }),
    );
    expect(parsed.err).toEqual({
      status: 404,
      statusText: "Not Found",
      data: 'No route matches URL "/x"',
      message: 'No route matches URL "/x"',
    });
    expect(JSON.stringify(parsed)).not.toContain("[object Object]");
  });

  it("drops events below the configured level", () => {
    const lines: string[] = [];
    const log = createLogger("warn", (l) => lines.push(l));
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["w", "e"]);
  });
});
