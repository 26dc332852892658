/** POST /logout ends this session; with `everywhere` set, every session of the account. */
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { revokeSessions } from "~/models/accounts.server";
import { actorOf, requireUser } from "~/server/auth/guard.server";
import { endSession } from "~/server/auth/session.server";
import { getDb } from "~/server/db.server";
import { readForm } from "~/server/http/problem.server";

export async function loader({ request }: ActionFunctionArgs) {
  await requireUser(request);
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request);
  const form = await readForm(request);
  if (principal.user && form.get("everywhere") === "yes") {
    await revokeSessions(getDb(), { userId: principal.user.id }, actorOf(principal, request));
  }
  return redirect("/login", { headers: { "Set-Cookie": await endSession(request) } });
}
