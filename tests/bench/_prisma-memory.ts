/**
 * What Prisma costs in memory, alone in a process (docs/decisions/087-memory-under-load.md): RSS
 * and V8 figures after importing the client, after the first query (the query compiler's WASM is
 * instantiated), and after 400 more. Not part of `npm run bench` (the leading underscore):
 *
 *   DATABASE_URL=file:/path/to/app.db node --expose-gc node_modules/tsx/dist/cli.mjs tests/bench/_prisma-memory.ts
 */
import fs from "node:fs";

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync("/proc/self/status", "utf8"))![1]) / 1024;
const mb = (n: number) => (n / 2 ** 20).toFixed(0);
const usage = () => {
  const m = process.memoryUsage();
  return `RSS ${rss().toFixed(0)} MB, heap used ${mb(m.heapUsed)} / total ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB`;
};

console.log("start           ", usage());
const { createDb } = await import("../../app/server/db.server");
console.log("after import    ", usage());
const { db } = createDb(process.env.DATABASE_URL ?? "file:./data/app.db");
await db.prompt.findMany({ take: 5 });
console.log("first query     ", usage());
for (let i = 0; i < 200; i++) {
  await db.prompt.findMany({ take: 5, include: { versions: { take: 1 } } });
  await db.promptVersion.count();
}
(globalThis as { gc?: () => void }).gc?.();
console.log("after 400 more  ", usage());
await db.$disconnect();
