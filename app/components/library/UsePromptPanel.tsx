/**
 * "Use this prompt": how a program gets this prompt — the API address by label, copy-ready calls
 * (curl, TypeScript fetch, Python requests, the official OpenAI and Anthropic SDKs fed with the
 * rendered body), the MCP client configuration for this instance, and the exports. Every snippet is
 * server-rendered text (it reads without JavaScript); Copy needs JavaScript.
 */
import { useState } from "react";

type Variable = { name: string; type: string; default?: unknown };

export type UsePromptProps = {
  origin: string;
  slug: string;
  labels: string[];
  variables: Variable[];
  authEnabled: boolean;
  exportEnabled: boolean;
};

function sampleValue(v: Variable): unknown {
  if (v.default !== undefined) return v.default;
  if (v.type === "number") return 1;
  if (v.type === "boolean") return true;
  if (v.type === "list") return [];
  if (v.type === "messages") return [{ role: "user", content: "Hello" }];
  if (v.type === "object") return {};
  return `<${v.name}>`;
}

/** The code a caller writes, for one label (or the newest version). Exported for its unit test. */
export function snippetsFor(p: Omit<UsePromptProps, "labels" | "exportEnabled">, label: string | null) {
  const variables = Object.fromEntries(p.variables.map((v) => [v.name, sampleValue(v)]));
  const renderUrl = `${p.origin}/api/v1/prompts/${p.slug}/render`;
  const getUrl = `${p.origin}/api/v1/prompts/${p.slug}${label ? `?label=${encodeURIComponent(label)}` : ""}`;
  const body = (target: string) => JSON.stringify({ ...(label ? { label } : {}), target, variables });
  const pretty = (target: string, indent: string) =>
    JSON.stringify({ ...(label ? { label } : {}), target, variables }, null, 2).replace(/\n/g, `\n${indent}`);
  const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const auth = p.authEnabled;
  const tsHeaders = auth
    ? `{ "Content-Type": "application/json", Authorization: \`Bearer \${process.env.PROMPT_BUILDER_TOKEN}\` }`
    : `{ "Content-Type": "application/json" }`;
  const pyHeaders = auth ? `{"Authorization": f"Bearer {os.environ['PROMPT_BUILDER_TOKEN']}"}` : "{}";
  const pyImport = auth ? "import os\n" : "";
  const pyBody = (target: string) =>
    JSON.stringify({ ...(label ? { label } : {}), target, variables }, null, 4)
      .replace(/\btrue\b/g, "True")
      .replace(/\bfalse\b/g, "False")
      .replace(/\bnull\b/g, "None")
      .replace(/\n/g, "\n    ");
  return {
    getUrl,
    renderUrl,
    curl: [
      `curl -sS -X POST ${shellQuote(renderUrl)} \\`,
      `  -H 'Content-Type: application/json' \\`,
      ...(auth ? [`  -H "Authorization: Bearer $PROMPT_BUILDER_TOKEN" \\`] : []),
      `  -d ${shellQuote(body("plain"))}`,
    ].join("\n"),
    fetch: [
      `const res = await fetch(${JSON.stringify(renderUrl)}, {`,
      `  method: "POST",`,
      `  headers: ${tsHeaders},`,
      `  body: JSON.stringify(${pretty("plain", "  ")}),`,
      `});`,
      `if (!res.ok) throw new Error(\`\${res.status}: \${(await res.json()).error}\`);`,
      `const { text } = await res.json();`,
    ].join("\n"),
    python: [
      `${pyImport}import requests`,
      ``,
      `res = requests.post(`,
      `    ${JSON.stringify(renderUrl)},`,
      `    headers=${pyHeaders},`,
      `    json=${pyBody("plain")},`,
      `    timeout=30,`,
      `)`,
      `res.raise_for_status()`,
      `text = res.json()["text"]`,
    ].join("\n"),
    openai: [
      `import OpenAI from "openai";`,
      ``,
      `// The body the prompt renders to (model, messages, settings), sent as is.`,
      `const rendered = await fetch(${JSON.stringify(renderUrl)}, {`,
      `  method: "POST",`,
      `  headers: ${tsHeaders},`,
      `  body: JSON.stringify(${pretty("openai", "  ")}),`,
      `}).then((r) => r.json());`,
      `const completion = await new OpenAI().chat.completions.create(rendered.json);`,
      `console.log(completion.choices[0].message.content);`,
    ].join("\n"),
    anthropic: [
      `${pyImport}import anthropic, requests`,
      ``,
      `# The body the prompt renders to (model, system, messages, max_tokens), sent as is.`,
      `rendered = requests.post(`,
      `    ${JSON.stringify(renderUrl)},`,
      `    headers=${pyHeaders},`,
      `    json=${pyBody("anthropic")},`,
      `    timeout=30,`,
      `).json()`,
      `message = anthropic.Anthropic().messages.create(**rendered["json"])`,
      `print(message.content[0].text)`,
    ].join("\n"),
    mcp: JSON.stringify(
      {
        mcpServers: {
          "prompt-builder": {
            type: "http",
            url: `${p.origin}/mcp`,
            ...(auth ? { headers: { Authorization: "Bearer <a token with the read and render scopes>" } } : {}),
          },
        },
      },
      null,
      2,
    ),
  };
}

function CopyBlock({ id, title, code }: { id: string; title: string; code: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="use-snippet">
      <div className="use-snippet-head">
        <h3 id={`${id}-title`}>{title}</h3>
        <button
          type="button"
          className="btn btn-sm"
          aria-describedby={`${id}-title`}
          onClick={() => {
            void navigator.clipboard?.writeText(code).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            });
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <pre className="use-code" tabIndex={0} aria-labelledby={`${id}-title`}>
        <code>{code}</code>
      </pre>
    </div>
  );
}

const TABS = [
  ["curl", "curl"],
  ["fetch", "TypeScript fetch"],
  ["python", "Python requests"],
  ["openai", "OpenAI SDK (TypeScript)"],
  ["anthropic", "Anthropic SDK (Python)"],
] as const;

export function UsePromptPanel(props: UsePromptProps) {
  const initial = props.labels.includes("production") ? "production" : (props.labels[0] ?? null);
  const [label, setLabel] = useState<string | null>(initial);
  const [tab, setTab] = useState<(typeof TABS)[number][0]>("curl");
  const s = snippetsFor(props, label);
  const title = TABS.find(([k]) => k === tab)![1];
  return (
    <section className="panel card use-prompt" aria-labelledby="use-title">
      <h2 id="use-title">Use this prompt</h2>
      <div className="field">
        <label htmlFor="use-label">Serve</label>
        <select id="use-label" value={label ?? ""} onChange={(e) => setLabel(e.target.value || null)}>
          {props.labels.map((l) => (
            <option key={l} value={l}>
              label {l}
            </option>
          ))}
          <option value="">the newest version</option>
        </select>
      </div>
      <p className="use-url">
        <span className="muted">GET</span> <code>{s.getUrl}</code>
      </p>
      {props.authEnabled ? (
        <p className="muted">
          Calls need an API token (<a href="/settings">Settings</a>) in <code>PROMPT_BUILDER_TOKEN</code>.
        </p>
      ) : null}
      <div className="use-tabs" role="tablist" aria-label="Language">
        {TABS.map(([key, name]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            className={`btn btn-sm${tab === key ? " btn-primary" : ""}`}
            onClick={() => setTab(key)}
          >
            {name}
          </button>
        ))}
      </div>
      <CopyBlock id="use-code" title={title} code={s[tab]} />
      <CopyBlock id="use-mcp" title="MCP client configuration" code={s.mcp} />
      {props.exportEnabled ? (
        <div className="page-actions">
          <a className="btn btn-sm" href={`/api/v1/export?prompt=${encodeURIComponent(props.slug)}`} download>
            Download bundle
          </a>
          <a
            className="btn btn-sm"
            href={`/api/v1/prompts/${props.slug}/export.md${label ? `?label=${encodeURIComponent(label)}` : ""}`}
            download
          >
            Download Markdown
          </a>
        </div>
      ) : null}
    </section>
  );
}
