import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";

export const meta: MetaFunction = () => [{ title: "Library · Prompt Builder" }];

export async function loader(_args: LoaderFunctionArgs) {
  const prompts = await getDb().prompt.findMany({
    where: { deletedAt: null },
    orderBy: { updatedAt: "desc" },
    take: 50,
    select: {
      id: true,
      name: true,
      slug: true,
      description: true,
      headVersion: true,
      updatedAt: true,
      folder: { select: { path: true } },
      tags: { select: { tag: { select: { name: true } } } },
    },
  });
  return { prompts: prompts.map((p) => ({ ...p, updatedAt: p.updatedAt.toISOString() })) };
}

export default function Library() {
  const { prompts } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="library-title">
      <div className="page-header">
        <h1 id="library-title">Library</h1>
        <Link to="/prompts/new" className="btn btn-primary">
          New prompt
        </Link>
      </div>
      {prompts.length === 0 ? (
        <div className="panel empty-state">
          <h2>No prompts yet</h2>
          <p>Start from a template or a blank page; every save becomes a version you can compare and restore.</p>
          <Link to="/prompts/new" className="btn btn-primary">
            Create your first prompt
          </Link>
        </div>
      ) : (
        <ul className="prompt-list" aria-label="Prompts">
          {prompts.map((p) => (
            <li key={p.id} className="panel prompt-card">
              <Link to={`/prompts/${p.slug}/edit`} className="prompt-card-title">
                {p.name}
              </Link>
              {p.description ? <p className="prompt-card-desc">{p.description}</p> : null}
              <div className="prompt-card-meta">
                {p.folder ? <span className="badge">{p.folder.path}</span> : null}
                {p.tags.map((t) => (
                  <span key={t.tag.name} className="badge badge-accent">
                    {t.tag.name}
                  </span>
                ))}
                <span className="prompt-card-version">v{p.headVersion}</span>
                <time dateTime={p.updatedAt}>{new Date(p.updatedAt).toLocaleDateString("en")}</time>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
