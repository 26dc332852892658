/**
 * A fingerprint of what `prompts/list` shows (MCP): which prompts are live, their details and heads
 * (a new version can change a prompt's arguments), and their labels (the served version follows
 * `production`). Two cheap aggregates; any create, save, rename, trash, restore or label move
 * changes it, whichever process or replica made the change.
 */
import type { Db } from "~/server/db.server";

export async function promptListFingerprint(db: Db): Promise<string> {
  const [prompts, labels] = await Promise.all([
    db.prompt.aggregate({
      where: { deletedAt: null },
      _count: { _all: true },
      _max: { updatedAt: true },
      _sum: { headVersion: true },
    }),
    db.label.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
  ]);
  return [
    prompts._count._all,
    prompts._max.updatedAt?.getTime() ?? 0,
    prompts._sum.headVersion ?? 0,
    labels._count._all,
    labels._max.updatedAt?.getTime() ?? 0,
  ].join(":");
}
