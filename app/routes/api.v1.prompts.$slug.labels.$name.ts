/**
 * PUT /api/v1/prompts/:slug/labels/:name — body { version, comment? } (write scope; POST is taken
 * too). Moves the label (200) through the same function as the prompt page, so its rules apply
 * (renderable versions only, label gates); when the label is protected it opens a change request
 * instead and answers 202 with it: an API token never moves a protected label, whoever owns it
 * (docs/decisions/105, 125). A token limited to labels may only name one of them. Retries with the
 * same Idempotency-Key get the first answer (decision 126).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { labelMoveRequestSchema, labelNameParamSchema, MAX_LABEL_MOVE_BODY_BYTES } from "~/api/schemas";
import { requirePrompt } from "~/models/history.server";
import { moveOrPropose } from "~/models/label-change-requests.server";
import { parseInput } from "~/prompt/zod-issues";
import { actorOf, assertTokenLabel, requireApi, requirePromptApi } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { apiWrite } from "~/server/http/api-write.server";

type Answer =
  | { slug: string; label: string; version: number; previousVersion: number | null; moved: boolean }
  | {
      changeRequest: { id: string; label: string; from: number | null; to: number; status: "open"; url: string };
    };
import { methodNotAllowed } from "~/server/http/problem.server";

const HOW = "Use PUT with a JSON body { version, comment? } to move a label.";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApi(request, "write");
  return methodNotAllowed(HOW, "PUT, POST");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const principal = await requirePromptApi(request, params.slug, "write");
  if (request.method !== "PUT" && request.method !== "POST") return methodNotAllowed(HOW, "PUT, POST");
  assertTokenLabel(principal, params.name);
  const actor = actorOf(principal, request);
  return apiWrite(request, principal, {
    reader: { schema: labelMoveRequestSchema, maxBytes: MAX_LABEL_MOVE_BODY_BYTES },
    status: (result: Answer) => ("changeRequest" in result ? 202 : 200),
    location: (result: Answer) =>
      "changeRequest" in result ? result.changeRequest.url : `/api/v1/prompts/${result.slug}`,
    run: async (body): Promise<Answer> => {
      const name = parseInput(labelNameParamSchema, params.name ?? "", { path: ["name"], malformed: true });
      const db = getDb();
      const prompt = await requirePrompt(db, params.slug ?? "");
      const result = await moveOrPropose(db, {
        promptId: prompt.id,
        name,
        version: body.version,
        comment: body.comment,
        actor,
        authEnabled: getEnv().ENABLE_AUTH,
      });
      if (result.kind === "moved")
        return {
          slug: prompt.slug,
          label: name,
          version: result.to,
          previousVersion: result.from,
          moved: result.moved,
        };
      const r = result.request;
      const url = `/prompts/${prompt.slug}/change-requests/${r.id}`;
      return {
        changeRequest: {
          id: r.id,
          label: r.labelName,
          from: r.fromNumber,
          to: r.toNumber,
          status: "open" as const,
          url,
        },
      };
    },
  });
}
