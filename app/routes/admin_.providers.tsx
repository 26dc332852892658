/**
 * /admin/providers (admins only): the model providers the playground can call. Those from the
 * environment are shown read-only; those configured here are added, changed and removed. A key is
 * written once and stored encrypted: the page only ever says whether one is set (decision 111).
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ReactNode } from "react";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field } from "~/components/auth/Field";
import { issueFor } from "~/components/issue-for";
import { IntentButton } from "~/components/library/IntentButton";
import {
  createProvider,
  deleteProvider,
  listProviderRows,
  resealProviderKeys,
  updateProvider,
} from "~/models/providers.server";
import { PROTOCOLS } from "~/prompt/provider-form";
import { actorOf, requireUser } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { pageAction, parseIntent, readForm } from "~/server/http/problem.server";
import { configuredProviders } from "~/server/providers/providers.server";
import libraryStyles from "~/styles/library.css";
import runsStyles from "~/styles/runs.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: libraryStyles },
  { rel: "stylesheet", href: runsStyles },
];
export const meta: MetaFunction = () => [{ title: "Providers · Admin · Prompt Builder" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "admin");
  const env = getEnv();
  const rows = await listProviderRows(getDb(), env);
  const editId = new URL(request.url).searchParams.get("edit");
  return {
    fromEnv: configuredProviders(env).map((p) => ({
      id: p.id,
      name: p.name,
      protocol: p.protocol,
      baseUrl: p.baseUrl,
      allowedModels: p.allowedModels ?? null,
    })),
    rows,
    editing: rows.find((r) => r.id === editId) ?? null,
    canStore: env.PROVIDER_KEY_SECRET.length > 0,
    accounts: env.ENABLE_AUTH,
    secrets: env.PROVIDER_KEY_SECRET.length,
  };
}

const fields = (form: FormData) => ({
  name: String(form.get("name") ?? ""),
  protocol: String(form.get("protocol") ?? ""),
  baseUrl: String(form.get("baseUrl") ?? ""),
  apiKey: String(form.get("apiKey") ?? ""),
  models: String(form.get("models") ?? ""),
});

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "admin");
  const form = await readForm(request);
  const db = getDb();
  const env = getEnv();
  const id = String(form.get("id") ?? "").slice(0, 100);
  const actor = actorOf(principal, request);
  return pageAction(async () => {
    switch (parseIntent(form, ["create", "update", "delete", "reseal"] as const)) {
      case "create":
        await createProvider(db, env, fields(form), actor);
        return { done: "Provider added." };
      case "update":
        await updateProvider(db, env, id, fields(form), actor);
        return { done: "Provider saved." };
      case "delete":
        await deleteProvider(db, id, actor);
        return { done: "Provider removed." };
      case "reseal": {
        const { resealed, unreadable } = await resealProviderKeys(db, env, actor);
        return {
          done: `${resealed} key(s) re-encrypted with the current secret${unreadable ? `; ${unreadable} cannot be read and must be entered again` : ""}.`,
        };
      }
    }
  });
}

const models = (list: readonly string[] | null) => (list ? list.join(", ") : "whatever the provider lists");

type ListedProvider = { id: string; name: string; protocol: string; baseUrl: string; allowedModels: string[] | null };

/** Providers from the environment or configured here: the same columns, the key's state, and actions where they can change. */
function ProviderTable<P extends ListedProvider>({
  providers,
  keyCell,
  actions,
}: {
  providers: readonly P[];
  keyCell: (p: P) => ReactNode;
  actions?: (p: P) => ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Protocol</th>
            <th scope="col">Base URL</th>
            <th scope="col">Models</th>
            <th scope="col">Key</th>
            {actions ? (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>{p.protocol}</td>
              <td className="provider-url">
                <code>{p.baseUrl}</code>
              </td>
              <td>{models(p.allowedModels)}</td>
              <td>{keyCell(p)}</td>
              {actions ? <td>{actions(p)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function AdminProviders() {
  const { fromEnv, rows, editing, canStore, secrets, accounts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result && "problem" in result ? result.problem : undefined;
  const done = result && "done" in result ? result.done : undefined;
  const busy = useNavigation().state === "submitting";
  const err = (field: string) => issueFor(problem, field);
  return (
    <div>
      <div className="page-header">
        <h1>Model providers</h1>
        {accounts ? (
          <Link to="/admin" className="btn btn-ghost">
            Users and sessions
          </Link>
        ) : null}
      </div>
      {done ? (
        <p className="alert" role="status">
          {done}
        </p>
      ) : null}
      {problem ? (
        <p className="alert alert-error" role="alert">
          {problem.error}
        </p>
      ) : null}
      <section className="panel card" aria-labelledby="env-title">
        <h2 id="env-title">From the environment</h2>
        {fromEnv.length ? (
          <ProviderTable providers={fromEnv} keyCell={() => "set (environment)"} />
        ) : (
          <p className="muted">
            None: set <code>OPENAI_API_KEY</code> or <code>ANTHROPIC_API_KEY</code> for a fixed deployment.
          </p>
        )}
      </section>
      <section className="panel card" aria-labelledby="app-title">
        <h2 id="app-title">Configured here</h2>
        {rows.length ? (
          <ProviderTable
            providers={rows}
            keyCell={(p) =>
              p.keyState === "set" ? (
                "set"
              ) : (
                <span className="badge badge-warning" title="No secret in PROVIDER_KEY_SECRET opens it">
                  cannot be read
                </span>
              )
            }
            actions={(p) => (
              <>
                <Link to={`?edit=${p.id}`} className="btn btn-ghost" aria-label={`Change ${p.name}`}>
                  Change
                </Link>
                <IntentButton
                  intent="delete"
                  fields={{ id: p.id }}
                  className="btn btn-ghost btn-danger-text"
                  formClassName="inline-form"
                  aria-label={`Remove ${p.name}`}
                >
                  Remove
                </IntentButton>
              </>
            )}
          />
        ) : (
          <p className="muted">No provider is configured here yet.</p>
        )}
        {secrets > 1 ? (
          <IntentButton intent="reseal" className="btn btn-ghost" formClassName="inline-form">
            Re-encrypt every key with the current secret
          </IntentButton>
        ) : null}
      </section>
      <section className="panel card" aria-labelledby="form-title">
        <h2 id="form-title">{editing ? `Change ${editing.name}` : "Add a provider"}</h2>
        {canStore ? null : (
          <p className="alert alert-error">
            Set <code>PROVIDER_KEY_SECRET</code> (32 characters or more) on the server to store provider keys here.
          </p>
        )}
        <Form method="post" className="form-grid provider-form" key={editing?.id ?? "new"}>
          <input type="hidden" name="intent" value={editing ? "update" : "create"} />
          {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
          <Field
            name="name"
            label="Name"
            required
            maxLength={60}
            defaultValue={editing?.name}
            placeholder="OpenRouter"
            error={err("name")}
          />
          <div className="field">
            <label htmlFor="protocol">Protocol</label>
            <select id="protocol" name="protocol" defaultValue={editing?.protocol ?? "openai"}>
              {PROTOCOLS.map((p) => (
                <option key={p} value={p}>
                  {p === "openai" ? "OpenAI Chat Completions (and compatible)" : "Anthropic Messages"}
                </option>
              ))}
            </select>
            <span className="field-error">{err("protocol")}</span>
          </div>
          <Field
            name="baseUrl"
            label="Base URL"
            required
            type="url"
            defaultValue={editing?.baseUrl}
            placeholder="https://openrouter.ai/api/v1"
            hint="OpenAI-compatible servers include /v1; Anthropic's is https://api.anthropic.com."
            error={err("baseUrl")}
          />
          <Field
            name="apiKey"
            label={editing ? "API key (set — type a new one to replace it)" : "API key"}
            type="password"
            autoComplete="off"
            required={!editing}
            placeholder={editing ? "leave blank to keep the stored key" : ""}
            hint="Stored encrypted; never shown again."
            error={err("apiKey")}
          />
          <div className="field">
            <label htmlFor="models">Allowed models (optional)</label>
            <textarea
              id="models"
              name="models"
              rows={2}
              defaultValue={editing?.allowedModels?.join(", ") ?? ""}
              aria-describedby="models-hint models-error"
            />
            <span id="models-hint" className="field-hint">
              Comma-separated; empty means every model the provider lists.
            </span>
            <span id="models-error" className="field-error">
              {err("models")}
            </span>
          </div>
          <div className="inline-form">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {editing ? "Save provider" : "Add provider"}
            </button>
            {editing ? (
              <Link to="/admin/providers" className="btn btn-ghost">
                Cancel
              </Link>
            ) : null}
          </div>
        </Form>
      </section>
    </div>
  );
}
