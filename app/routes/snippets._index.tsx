/** Snippets: reusable sections included in prompts with {{> name}}. List and create. */
import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~/server/db.server";
import { plural } from "~/components/plural";
import { issueFor } from "~/components/issue-for";
import { ProblemField } from "~/components/ProblemField";
import { pageAction, readForm } from "~/server/http/problem.server";
import { createSnippet, listSnippets } from "~/models/snippets.server";
import libraryStyles from "~/styles/library.css";
import { localRedirect } from "~/server/http/safe-redirect.server";
import { actorOf, requireUser } from "~/server/auth/guard.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction = () => [{ title: "Snippets · Prompt Builder" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return { snippets: await listSnippets(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "editor");
  const form = await readForm(request);
  return pageAction(async () => {
    const s = await createSnippet(
      getDb(),
      {
        name: form.get("name") ?? "",
        description: form.get("description") ?? "",
        template: form.get("template") ?? "",
      },
      actorOf(principal, request),
    );
    return localRedirect(`/snippets/${s.name}`);
  });
}

export default function Snippets() {
  const { snippets } = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>()?.problem;
  const err = (f: string) => issueFor(problem, f);
  return (
    <div>
      <div className="page-header">
        <h1>Snippets</h1>
      </div>
      <div className="prompt-page">
        <section className="panel card" aria-labelledby="list-title">
          <h2 id="list-title">All snippets</h2>
          {snippets.length === 0 ? (
            <p className="muted">
              No snippets yet. A snippet is a piece of text you include in many prompts with {"{{> name}}"}.
            </p>
          ) : (
            <div className="table-scroll">
              <table className="simple-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Description</th>
                    <th scope="col">Version</th>
                    <th scope="col">Used directly by</th>
                  </tr>
                </thead>
                <tbody>
                  {snippets.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={`/snippets/${s.name}`}>
                          <code>{s.name}</code>
                        </Link>
                      </td>
                      <td>{s.description}</td>
                      <td>v{s.headVersion}</td>
                      <td>
                        {s.directUses} {plural(s.directUses, "prompt", "prompts")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="panel card" aria-labelledby="new-title">
          <h2 id="new-title">New snippet</h2>
          <Form method="post" className="form-grid">
            <ProblemField
              id="name"
              label="Name"
              error={err("name")}
              hint={<>Used as {"{{> name}}"}: letters, digits, - and _.</>}
            >
              {(aria) => <input id="name" name="name" type="text" placeholder="tone_of_voice" {...aria} />}
            </ProblemField>
            <ProblemField id="description" label="Description" error={err("description")}>
              {(aria) => <input id="description" name="description" type="text" {...aria} />}
            </ProblemField>
            <ProblemField id="template" label="Text" error={err("template")}>
              {(aria) => <textarea id="template" name="template" rows={8} {...aria} />}
            </ProblemField>
            <button type="submit" className="btn btn-primary">
              Create snippet
            </button>
          </Form>
        </section>
      </div>
    </div>
  );
}
