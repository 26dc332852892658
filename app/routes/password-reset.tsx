/** /password-reset?token=… — set a new password with an admin's one-time link (no mail server assumed). */
import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/auth/Field";
import { issueFor } from "~/components/issue-for";
import { findLink, resetPassword } from "~/models/accounts.server";
import { publicRoute } from "~/server/auth/guard.server";
import { PASSWORD_MIN_LENGTH } from "~/server/auth/password.server";
import { requestClientAddress } from "~/server/http/client-address.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { pageAction, readForm } from "~/server/http/problem.server";
import { accountLimitData } from "~/server/rate-limit/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Reset password · Prompt Builder" }];
/** The action's Retry-After (an account tried too often) reaches the document response. */
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  publicRoute();
  if (!getEnv().ENABLE_AUTH) throw redirect("/");
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const link = token ? await findLink(getDb(), token, "reset") : null;
  return { token: link ? token : "", minLength: PASSWORD_MIN_LENGTH };
}

export async function action({ request }: ActionFunctionArgs) {
  publicRoute();
  if (!getEnv().ENABLE_AUTH) throw redirect("/");
  const form = await readForm(request);
  const token = String(form.get("token") ?? "");
  // Per account too (the wrapper limits per address): the account the link is for.
  const link = await findLink(getDb(), token, "reset");
  const user = link?.userId
    ? await getDb().user.findUnique({ where: { id: link.userId }, select: { email: true } })
    : null;
  const limited = accountLimitData(user?.email ?? "");
  if (limited) return limited;
  return pageAction(async () => {
    await resetPassword(getDb(), token, form.get("password"), requestClientAddress(request));
    return redirect("/login?reset=1");
  });
}

export default function PasswordReset() {
  const { token, minLength } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>()?.problem;
  return (
    <section className="auth-page panel" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      {problem && (issueFor(problem, "token") || !issueFor(problem, "password")) ? (
        <p className="alert alert-error" role="alert">
          {issueFor(problem, "token") ?? problem.error}
        </p>
      ) : null}
      {token ? (
        <Form method="post" className="form-grid">
          <input type="hidden" name="token" value={token} />
          <Field
            name="password"
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            minLength={minLength}
            hint={`At least ${minLength} characters; not a common password. Every session of the account ends.`}
            error={issueFor(problem, "password")}
          />
          <button type="submit" className="btn btn-primary">
            Set password
          </button>
        </Form>
      ) : (
        <p className="alert alert-error" role="alert">
          This link is not valid: it was used already, has expired, or never existed. Ask an admin for a new one.
        </p>
      )}
    </section>
  );
}
