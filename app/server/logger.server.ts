/**
 * Application events as JSON lines on stdout: {level, time, msg, ...context}; errors carry their
 * stack. One line per event so log collectors can parse it.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogContext = Record<string, unknown>;

function serialiseError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      ...(error.cause ? { cause: serialiseError(error.cause) } : {}),
    };
  }
  // Thrown non-Errors (e.g. Remix's error responses: status, statusText, data) keep their fields,
  // never "[object Object]".
  if (error && typeof error === "object") {
    const fields = error as Record<string, unknown>;
    const message =
      typeof fields.message === "string" ? fields.message : typeof fields.data === "string" ? fields.data : undefined;
    try {
      return { ...JSON.parse(JSON.stringify(error)), ...(message ? { message } : { message: JSON.stringify(error) }) };
    } catch {
      return { message: Object.prototype.toString.call(error) };
    }
  }
  return { message: String(error) };
}

export function formatLogLine(level: LogLevel, msg: string, context: LogContext = {}, now = new Date()): string {
  const out: Record<string, unknown> = { level, time: now.toISOString(), msg };
  for (const [key, value] of Object.entries(context)) {
    out[key] = key === "err" || value instanceof Error ? serialiseError(value) : value;
  }
  return JSON.stringify(out);
}

export function createLogger(
  minLevel: LogLevel | "silent" = (process.env.LOG_LEVEL as LogLevel) || "info",
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
) {
  const threshold = ORDER[minLevel] ?? ORDER.info;
  const log = (level: LogLevel) => (msg: string, context?: LogContext) => {
    if (ORDER[level] >= threshold) write(formatLogLine(level, msg, context));
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export type Logger = ReturnType<typeof createLogger>;

export const logger: Logger = createLogger();
