/**
 * /import: upload a bundle, a Langfuse export or a zip of `.prompt` files, see what the import would
 * do — created, new versions, renamed, skipped, and every problem with its path — then import it in
 * one transaction. Works without JavaScript: the preview carries the file (a zip as base64) in a
 * hidden field to the import.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CLASH_POLICIES, importBundle, previewImport, type ClashPolicy } from "~/models/bundle-import.server";
import { requireUser, actorOf } from "~/server/auth/guard.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { bodyTooLargeProblem, pageAction, parseIntent, readForm } from "~/server/http/problem.server";
import { parseImportText } from "~/server/transfer/import-request.server";
import { importZipBundle, previewZipImport, readZipBundle } from "~/models/prompt-zip-import.server";
import { looksLikeZip } from "~/server/transfer/zip-entries.server";
import libraryStyles from "~/styles/library.css";
import { issueFor } from "~/components/issue-for";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];
export const meta: MetaFunction = () => [{ title: "Import · Prompt Builder" }];

const FORMATS = ["auto", "bundle", "langfuse", "zip"] as const;
type Format = (typeof FORMATS)[number];

const POLICY_TEXT: Record<ClashPolicy, string> = {
  skip: "Skip what exists here",
  "new-version": "Add the newest version to what exists",
  rename: "Import as a copy under a free name",
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "editor");
  return { maxBytes: getEnv().IMPORT_MAX_BYTES };
}

function choice<T extends string>(value: FormDataEntryValue | null, options: readonly T[], fallback: T): T {
  return options.find((o) => o === value) ?? fallback;
}

export async function action({ request }: ActionFunctionArgs) {
  const principal = await requireUser(request, "editor");
  const form = await readForm(request);
  const policy = choice(form.get("policy"), CLASH_POLICIES, "skip");
  const format: Format = choice(form.get("format"), FORMATS, "auto");
  const maxBytes = getEnv().IMPORT_MAX_BYTES;
  return pageAction(async () => {
    const intent = parseIntent(form, ["preview", "import"] as const);
    const file = form.get("file");
    let text = "";
    let zipBytes: Buffer | null = null;
    let fileName = String(form.get("fileName") ?? "");
    if (file && typeof file !== "string" && file.size > 0) {
      if (file.size > maxBytes)
        return { stage: "refused" as const, problem: bodyTooLargeProblem(maxBytes), fileName: file.name };
      const bytes = Buffer.from(await file.arrayBuffer());
      fileName = file.name;
      // A zip by choice, or recognised by its first bytes.
      if (format === "zip" || (format === "auto" && looksLikeZip(bytes))) zipBytes = bytes;
      else text = new TextDecoder().decode(bytes);
    } else if (form.get("zip")) {
      const encoded = String(form.get("zip"));
      if (encoded.length > Math.ceil(maxBytes / 3) * 4 + 4)
        return { stage: "refused" as const, problem: bodyTooLargeProblem(maxBytes), fileName };
      zipBytes = Buffer.from(encoded, "base64");
    } else text = String(form.get("bundle") ?? "");
    if (zipBytes) {
      const db = getDb();
      const read = await readZipBundle(db, zipBytes);
      if (!read.ok)
        return {
          stage: "refused" as const,
          fileName,
          problem: { status: read.status, error: read.error, issues: read.issues },
        };
      if (intent === "preview") {
        const { report, issues } = await previewZipImport(db, read.zip, policy);
        const zip = zipBytes.toString("base64");
        return { stage: "preview" as const, report, issues, text: "", zip, policy, format: "zip" as Format, fileName };
      }
      const report = await importZipBundle(db, read.zip, { policy, dryRun: false, actor: actorOf(principal, request) });
      return { stage: "done" as const, report, fileName };
    }
    if (!text.trim())
      return {
        stage: "refused" as const,
        fileName,
        problem: {
          status: 400,
          error: "Choose a file to import.",
          issues: [{ path: ["file"], message: "is required" }],
        },
      };
    if (text.length > maxBytes) return { stage: "refused" as const, problem: bodyTooLargeProblem(maxBytes), fileName };
    const parsed = parseImportText(text, format === "zip" ? "auto" : format);
    if (!parsed.ok)
      return {
        stage: "refused" as const,
        fileName,
        problem: { status: parsed.status, error: parsed.error, issues: parsed.issues },
      };
    const db = getDb();
    if (intent === "preview") {
      const { report, issues } = await previewImport(db, parsed.bundle, policy);
      return { stage: "preview" as const, report, issues, text, zip: "", policy, format, fileName };
    }
    const report = await importBundle(db, parsed.bundle, {
      policy,
      dryRun: false,
      actor: actorOf(principal, request),
    });
    return { stage: "done" as const, report, fileName };
  });
}

type Report = {
  created: { prompts: string[]; snippets: string[]; folders: string[]; tags: string[] };
  newVersions: Array<{ kind: string; name: string; version: number }>;
  renamed: Array<{ from: string; to: string; name: string }>;
  skipped: Array<{ kind: string; name: string; reason: string }>;
  labelsNotMoved?: Array<{ prompt: string; label: string; version: number }>;
};

function ReportView({ report, done }: { report: Report; done: boolean }) {
  const c = report.created;
  return (
    <div className="import-report">
      <h3>{done ? "Imported" : "Will be imported"}</h3>
      <ul>
        <li>
          Prompts: {c.prompts.length}{" "}
          {c.prompts.length ? (
            <span className="muted">
              (
              {c.prompts.map((slug, i) => (
                <span key={slug}>
                  {i ? ", " : ""}
                  {done ? <Link to={`/prompts/${slug}`}>{slug}</Link> : slug}
                </span>
              ))}
              )
            </span>
          ) : null}
        </li>
        <li>
          Snippets: {c.snippets.length}{" "}
          {c.snippets.length ? <span className="muted">({c.snippets.join(", ")})</span> : null}
        </li>
        <li>
          Folders: {c.folders.length}, tags: {c.tags.length}
        </li>
      </ul>
      {report.newVersions.length ? (
        <>
          <h3>New versions</h3>
          <ul>
            {report.newVersions.map((v) => (
              <li key={`${v.kind}-${v.name}`}>
                {v.kind} {v.name} → version {v.version}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.renamed.length ? (
        <>
          <h3>Renamed</h3>
          <ul>
            {report.renamed.map((r) => (
              <li key={r.from}>
                {r.from} → {r.to} (“{r.name}”)
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.skipped.length ? (
        <>
          <h3>Skipped</h3>
          <ul>
            {report.skipped.map((s) => (
              <li key={`${s.kind}-${s.name}`}>
                {s.kind} {s.name}: <span className="muted">{s.reason}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {report.labelsNotMoved?.length ? (
        <>
          <h3>Labels not moved</h3>
          <p className="muted">
            The zip records these labels, with version numbers of the library it came from. An import moves no label:
            move them on each prompt&apos;s page once you have checked the imported version.
          </p>
          <ul data-testid="labels-not-moved">
            {report.labelsNotMoved.map((l) => (
              <li key={`${l.prompt}-${l.label}`}>
                {done ? <Link to={`/prompts/${l.prompt}`}>{l.prompt}</Link> : l.prompt}: {l.label} was on version{" "}
                {l.version}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function Problems({ issues }: { issues: Array<{ path: Array<string | number>; message: string }> }) {
  return (
    <ul className="import-problems" aria-label="Problems">
      {issues.map((i, n) => (
        <li key={n}>
          <code>{i.path.length ? i.path.join(".") : "(the file)"}</code> {i.message}
        </li>
      ))}
    </ul>
  );
}

export default function ImportPage() {
  const { maxBytes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result && "problem" in result ? result.problem : undefined;
  const preview = result && "stage" in result && result.stage === "preview" ? result : undefined;
  const done = result && "stage" in result && result.stage === "done" ? result : undefined;
  return (
    <div>
      <p className="crumbs">
        <Link to="/">Library</Link>
      </p>
      <div className="page-header">
        <h1>Import</h1>
      </div>
      <div className="prompt-page">
        <section className="panel card" aria-labelledby="upload-title">
          <h2 id="upload-title">Upload a file</h2>
          <p className="muted">
            A bundle exported from a Prompt Builder (<code>.bundle.json</code>, see{" "}
            <a href="/api/v1/schemas/bundle.json">its JSON Schema</a>), a JSON list of prompts from Langfuse&apos;s API,
            or a zip of <code>.prompt</code> files (as <code>/api/v1/export.zip</code> makes it: folders become folders,{" "}
            <code>_name.prompt</code> files become snippets). At most {Math.round(maxBytes / 1024).toLocaleString("en")}{" "}
            KiB. Nothing is written until you confirm the preview, and then all of it or nothing.
          </p>
          <Form method="post" encType="multipart/form-data" className="form-grid">
            <input type="hidden" name="intent" value="preview" />
            <div className="field">
              <label htmlFor="file">File</label>
              <input
                id="file"
                name="file"
                type="file"
                accept=".json,application/json,.zip,application/zip"
                aria-invalid={!!issueFor(problem, "file")}
              />
              <span className="field-error">{issueFor(problem, "file")}</span>
            </div>
            <div className="field">
              <label htmlFor="format">Format</label>
              <select id="format" name="format" defaultValue={preview?.format ?? "auto"}>
                <option value="auto">Recognise it</option>
                <option value="bundle">Prompt Builder bundle</option>
                <option value="langfuse">Langfuse prompts</option>
                <option value="zip">Zip of .prompt files</option>
              </select>
            </div>
            <fieldset className="field">
              <legend className="field-label">When a name is taken</legend>
              {CLASH_POLICY_OPTIONS.map((p) => (
                <label key={p} className="checkbox-field">
                  <input type="radio" name="policy" value={p} defaultChecked={(preview?.policy ?? "skip") === p} />{" "}
                  {POLICY_TEXT[p]}
                </label>
              ))}
            </fieldset>
            <button type="submit" className="btn btn-primary">
              Preview
            </button>
          </Form>
        </section>

        {problem ? (
          <section className="panel card" aria-labelledby="problems-title" role="alert">
            <h2 id="problems-title">Not imported</h2>
            <p>{problem.error}</p>
            <Problems issues={problem.issues} />
          </section>
        ) : null}

        {preview ? (
          <section className="panel card" aria-labelledby="preview-title">
            <h2 id="preview-title">Preview{preview.fileName ? ` of ${preview.fileName}` : ""}</h2>
            <ReportView report={preview.report} done={false} />
            {preview.issues.length ? (
              <>
                <h3>Problems: nothing can be imported</h3>
                <Problems issues={preview.issues} />
              </>
            ) : preview.report.created.prompts.length +
                preview.report.created.snippets.length +
                preview.report.created.folders.length +
                preview.report.created.tags.length +
                preview.report.newVersions.length ===
              0 ? (
              <p className="muted">Nothing to import: everything in the file is here already or skipped.</p>
            ) : (
              <Form method="post" encType="multipart/form-data">
                <input type="hidden" name="intent" value="import" />
                {preview.zip ? (
                  <input type="hidden" name="zip" value={preview.zip} />
                ) : (
                  <input type="hidden" name="bundle" value={preview.text} />
                )}
                <input type="hidden" name="policy" value={preview.policy} />
                <input type="hidden" name="format" value={preview.format} />
                <input type="hidden" name="fileName" value={preview.fileName} />
                <button type="submit" className="btn btn-primary">
                  Import
                </button>
              </Form>
            )}
          </section>
        ) : null}

        {done ? (
          <section className="panel card" aria-labelledby="done-title" role="status">
            <h2 id="done-title">Done</h2>
            <ReportView report={done.report} done />
          </section>
        ) : null}
      </div>
    </div>
  );
}

const CLASH_POLICY_OPTIONS = ["skip", "new-version", "rename"] as const satisfies readonly ClashPolicy[];
