/**
 * Starter templates, seeded on first run and offered on "New prompt". Each is a prompt a
 * practitioner would actually start from, with sample values so the preview shows something real.
 * starters.test.ts checks every one against promptDraftSchema and renders it without errors.
 */
import type { PromptDraft, Section, Variable, VariableValue } from "./draft";

export type StarterTemplate = {
  slug: string;
  name: string;
  description: string;
  tags: string[];
  folder: string;
  draft: PromptDraft;
  /** Preview values for the variables without a default. */
  sampleValues: Record<string, VariableValue>;
};

const section = (
  kind: Section["kind"],
  title: string,
  template: string,
  examples: Section["examples"] = [],
): Section => ({
  kind,
  title,
  template,
  enabled: true,
  examples,
});

const variable = (
  name: string,
  type: Variable["type"],
  description: string,
  extra: Partial<Variable> = {},
): Variable => ({
  name,
  type,
  required: true,
  enumValues: [],
  description,
  ...extra,
});

export const STARTER_TEMPLATES: StarterTemplate[] = [
  {
    slug: "summarise-text",
    name: "Summariser with length control",
    description:
      "Summarise a document for a given reader, as one sentence, a paragraph or bullet points, within a word limit.",
    tags: ["summarisation", "writing"],
    folder: "starters/writing",
    draft: {
      sections: [
        section(
          "system",
          "Role",
          "You are a precise editor. You write faithful summaries: you never add facts, opinions or advice that are not in the source.",
        ),
        section("context", "Document", "<document>\n{{text}}\n</document>"),
        section(
          "task",
          "Task",
          'Summarise the document for {{audience}}.\n{{#ifEquals length "one sentence"}}Write exactly one sentence.{{/ifEquals}}{{#ifEquals length "paragraph"}}Write one paragraph.{{/ifEquals}}{{#ifEquals length "bullet points"}}Write 3 to 5 bullet points, most important first.{{/ifEquals}}',
        ),
        section(
          "constraints",
          "Constraints",
          "- Use at most {{max_words}} words.\n- Keep numbers, names and dates exactly as written.\n{{#if keep_quotes}}- Keep direct quotations verbatim and attribute them.\n{{/if}}- If the document is empty or unreadable, say so instead of guessing.",
        ),
      ],
      variables: [
        variable("text", "text", "The document to summarise"),
        variable("audience", "string", "Who will read the summary", { default: "a busy executive" }),
        variable("length", "enum", "Shape of the summary", {
          enumValues: ["one sentence", "paragraph", "bullet points"],
          default: "paragraph",
        }),
        variable("max_words", "number", "Upper limit on the summary length", { default: 120 }),
        variable("keep_quotes", "boolean", "Keep quotations verbatim", { required: false, default: false }),
      ],
      modelSettings: { model: "gpt-4.1-mini", temperature: 0.2, maxTokens: 400, stop: [] },
    },
    sampleValues: {
      text: "Q3 revenue rose 12% to $4.2M, driven by the new self-serve plan (38% of new customers). Churn fell from 3.1% to 2.4% after the onboarding rework. Hiring is paused until Q1 except for two support roles. The board approved a $500k budget for the EU data centre, due to open in March.",
    },
  },
  {
    slug: "support-reply",
    name: "Customer support reply",
    description: "Draft a reply to a customer message in a chosen tone, grounded in your policy notes.",
    tags: ["support", "email"],
    folder: "starters/support",
    draft: {
      sections: [
        section(
          "system",
          "Role",
          "You are {{agent_name}}, a support specialist at {{company}}. You are warm, specific and honest: you never promise refunds, dates or features that the policy notes do not allow.",
        ),
        section(
          "context",
          "Policy notes",
          "{{#if policy_notes}}<policy>\n{{policy_notes}}\n</policy>{{else}}No policy notes were given: do not commit to refunds or dates.{{/if}}",
        ),
        section(
          "task",
          "Customer message",
          "Reply to this message from {{customer_name}}:\n\n<message>\n{{customer_message}}\n</message>",
        ),
        section(
          "constraints",
          "Tone",
          '{{#ifEquals tone "formal"}}Use a formal, courteous register. No exclamation marks.{{/ifEquals}}{{#ifEquals tone "friendly"}}Be friendly and plain-spoken; first names are fine.{{/ifEquals}}{{#ifEquals tone "apologetic"}}Open by acknowledging the problem and apologise once, sincerely; then focus on the fix.{{/ifEquals}}\nKeep it under 150 words. End with one clear next step.',
        ),
        section(
          "output_format",
          "Output format",
          'Write only the email body, starting with a greeting and ending with your signature "{{agent_name}}, {{company}} Support".',
        ),
      ],
      variables: [
        variable("customer_name", "string", "The customer's first name"),
        variable("customer_message", "text", "What the customer wrote"),
        variable("tone", "enum", "Tone of the reply", {
          enumValues: ["friendly", "formal", "apologetic"],
          default: "friendly",
        }),
        variable("policy_notes", "text", "Relevant policy excerpts", { required: false }),
        variable("agent_name", "string", "Signature name", { default: "Sam" }),
        variable("company", "string", "Your company", { default: "Acme Cloud" }),
      ],
      modelSettings: { model: "claude-haiku-4-5", temperature: 0.5, maxTokens: 500, stop: [] },
    },
    sampleValues: {
      customer_name: "Priya",
      customer_message:
        "I was charged twice for my March invoice (INV-2291). Can you refund the duplicate? This is the second time this has happened.",
      tone: "apologetic",
      policy_notes:
        "Duplicate charges are refunded in full within 5 business days. Offer one month of credit when the same customer is affected twice.",
    },
  },
  {
    slug: "ticket-classifier",
    name: "Classifier with few-shot examples",
    description: "Assign exactly one label from your list to a piece of text, taught by examples.",
    tags: ["classification", "few-shot"],
    folder: "starters/data",
    draft: {
      sections: [
        section("system", "Role", "You are a classifier. You answer with one label from the list and nothing else."),
        section(
          "constraints",
          "Labels",
          'Labels:\n{{#each labels}}- {{this}}\n{{/each}}If none fits, answer "{{fallback_label}}".',
        ),
        section("examples", "Examples", "", [
          { input: "The app crashes every time I open the settings page on Android 14.", output: "bug" },
          { input: "Could you add dark mode to the dashboard?", output: "feature_request" },
          { input: "Why was I charged $49 instead of $39 this month?", output: "billing" },
        ]),
        section("task", "Text to classify", "{{text}}"),
      ],
      variables: [
        variable("labels", "list", "The allowed labels", { default: ["bug", "feature_request", "billing", "account"] }),
        variable("fallback_label", "string", "Label when none fits", { default: "other" }),
        variable("text", "text", "The text to classify"),
      ],
      modelSettings: { model: "gpt-4o-mini", temperature: 0, maxTokens: 5, stop: ["\n"] },
    },
    sampleValues: { text: "I can't log in since I changed my email address — the reset link goes to the old one." },
  },
  {
    slug: "json-extraction",
    name: "JSON extraction with an output schema",
    description:
      "Pull structured fields out of free text into JSON that matches a schema, with null for anything missing.",
    tags: ["extraction", "json"],
    folder: "starters/data",
    draft: {
      sections: [
        section(
          "system",
          "Role",
          "You extract data. You copy values from the source; you never invent or infer values that are not stated.",
        ),
        section("context", "Source", "<source>\n{{document}}\n</source>"),
        section("task", "Task", "Extract the fields described by the schema from the source."),
        section(
          "output_format",
          "Output schema",
          "Return a single JSON object and nothing else — no prose, no code fences. It must validate against this JSON Schema:\n{{schema}}\nUse null for a field the source does not state.{{#if date_format}} Write dates as {{date_format}}.{{/if}}",
        ),
      ],
      variables: [
        variable("document", "text", "Text to extract from"),
        variable("schema", "text", "JSON Schema of the result", {
          default:
            '{\n  "type": "object",\n  "properties": {\n    "vendor": { "type": "string" },\n    "invoice_number": { "type": "string" },\n    "total": { "type": "number" },\n    "currency": { "type": "string" },\n    "due_date": { "type": ["string", "null"] }\n  },\n  "required": ["vendor", "invoice_number", "total", "currency", "due_date"]\n}',
        }),
        variable("date_format", "string", "Date format, e.g. ISO 8601", { required: false, default: "YYYY-MM-DD" }),
      ],
      modelSettings: { model: "gpt-4.1", temperature: 0, maxTokens: 800, stop: [] },
    },
    sampleValues: {
      document:
        "Invoice INV-88213 from Northwind Supplies Ltd. Amount due: €1,284.50. Payment within 30 days of 2 March 2026. Thank you for your business!",
    },
  },
  {
    slug: "code-reviewer",
    name: "Code reviewer",
    description: "Review a change for the issues you care about, with severities and concrete fixes.",
    tags: ["code", "review"],
    folder: "starters/engineering",
    draft: {
      sections: [
        section(
          "system",
          "Role",
          "You are a senior {{language}} engineer doing a code review. You are direct and specific, and you praise only what deserves it.",
        ),
        section(
          "context",
          "Change",
          "{{#if description}}What the change is for: {{description}}\n\n{{/if}}```{{language}}\n{{code}}\n```",
        ),
        section(
          "task",
          "Task",
          "Review the code. Focus on:\n{{#each focus}}- {{this}}\n{{/each}}Ignore formatting that a formatter would fix.",
        ),
        section(
          "output_format",
          "Output format",
          'For each finding write:\n**[severity: blocker | major | minor]** line(s) — the problem, why it matters, and the fix as a code snippet.\nEnd with a one-line verdict: "Approve", "Approve with changes" or "Request changes".',
        ),
      ],
      variables: [
        variable("language", "enum", "Language of the code", {
          enumValues: ["TypeScript", "Python", "Go", "Java", "Rust", "SQL"],
          default: "TypeScript",
        }),
        variable("code", "text", "The code or diff to review"),
        variable("description", "string", "What the change is meant to do", { required: false }),
        variable("focus", "list", "What to look for", {
          default: ["correctness and edge cases", "security (injection, secrets, auth)", "error handling"],
        }),
      ],
      modelSettings: { model: "claude-sonnet-5-5", maxTokens: 2000, stop: [] },
    },
    sampleValues: {
      description: "Look up a user by email for the login form",
      code: "export async function findUser(db: Db, email: string) {\n  const rows = await db.query(`SELECT * FROM users WHERE email = '${email}'`);\n  return rows[0];\n}",
    },
  },
  {
    slug: "sql-generator",
    name: "SQL generator from a schema",
    description: "Turn a question into one SQL query for your dialect and schema, read-only by default.",
    tags: ["sql", "code"],
    folder: "starters/engineering",
    draft: {
      sections: [
        section(
          "system",
          "Role",
          "You write correct, efficient {{dialect}} SQL. You use only the tables and columns in the schema.",
        ),
        section("context", "Schema", "<schema>\n{{schema}}\n</schema>"),
        section("task", "Question", "Write one SQL query that answers: {{question}}"),
        section(
          "constraints",
          "Rules",
          "{{#if read_only}}- The query must be read-only: SELECT (or WITH … SELECT) only.\n{{/if}}- Qualify columns with table aliases when more than one table is involved.\n- If the schema cannot answer the question, reply with a SQL comment that says which data is missing.\n- Limit results to {{row_limit}} rows unless the question asks for an aggregate.",
        ),
        section(
          "output_format",
          "Output format",
          "Return only the SQL in a ```sql code block, then one sentence explaining any assumption.",
        ),
      ],
      variables: [
        variable("dialect", "enum", "SQL dialect", {
          enumValues: ["PostgreSQL", "SQLite", "MySQL", "BigQuery"],
          default: "PostgreSQL",
        }),
        variable("schema", "text", "CREATE TABLE statements"),
        variable("question", "string", "What the user wants to know"),
        variable("read_only", "boolean", "Forbid writes", { default: true }),
        variable("row_limit", "number", "Default row limit", { default: 100 }),
      ],
      modelSettings: { model: "gpt-4.1", temperature: 0, maxTokens: 600, stop: [] },
    },
    sampleValues: {
      schema:
        "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, country text, created_at timestamptz NOT NULL);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers(id), total_cents integer NOT NULL, placed_at timestamptz NOT NULL);",
      question: "Which 10 countries had the highest revenue in 2025?",
    },
  },
  {
    slug: "translate-with-glossary",
    name: "Translation with a glossary",
    description: "Translate text while keeping your terminology, product names and formatting.",
    tags: ["translation", "localisation"],
    folder: "starters/writing",
    draft: {
      sections: [
        section(
          "system",
          "Role",
          "You are a professional {{source_language}} → {{target_language}} translator and native {{target_language}} speaker.",
        ),
        section(
          "constraints",
          "Glossary",
          "Always translate these terms as given (source => target):\n{{#each glossary}}- {{this}}\n{{/each}}Never translate product names, code, URLs or placeholders like {name}.",
        ),
        section(
          "constraints",
          "Style",
          '{{#ifEquals formality "formal"}}Use the formal form of address.{{/ifEquals}}{{#ifEquals formality "informal"}}Use the informal form of address.{{/ifEquals}} Keep the original Markdown formatting and line breaks.',
        ),
        section("task", "Text", "Translate:\n\n<text>\n{{text}}\n</text>"),
        section("output_format", "Output format", "Return only the translation."),
      ],
      variables: [
        variable("source_language", "string", "Language of the text", { default: "English" }),
        variable("target_language", "string", "Language to translate into", { default: "German" }),
        variable("glossary", "list", "Terms with fixed translations", {
          default: ["workspace => Arbeitsbereich", "billing => Abrechnung"],
        }),
        variable("formality", "enum", "Form of address", { enumValues: ["formal", "informal"], default: "formal" }),
        variable("text", "text", "The text to translate"),
      ],
      modelSettings: { model: "gpt-4o", temperature: 0.2, maxTokens: 1500, stop: [] },
    },
    sampleValues: { text: "Your **workspace** is ready! 🎉 Open *Billing* to add a payment method before {date}." },
  },
  {
    slug: "reasoning-final-answer",
    name: "Step-by-step reasoning with a final answer",
    description:
      "Let the model reason in a scratchpad and put only the final answer in an <answer> tag your code can parse.",
    tags: ["reasoning", "chain-of-thought"],
    folder: "starters/reasoning",
    draft: {
      sections: [
        section("system", "Role", "You are a careful analyst who checks each step before moving on."),
        section("task", "Problem", "<problem>\n{{problem}}\n</problem>"),
        section(
          "constraints",
          "How to think",
          "Think through the problem step by step inside <thinking> tags: restate what is asked, list the facts you use, work it out, then check the result against the question.",
        ),
        section(
          "output_format",
          "Final answer",
          "After the thinking, give only the final answer inside <answer> tags, formatted as {{answer_format}}. Nothing may follow the closing </answer> tag.",
        ),
      ],
      variables: [
        variable("problem", "text", "The question or problem"),
        variable("answer_format", "string", "How the answer must look", { default: "a single number with its unit" }),
      ],
      modelSettings: { model: "claude-haiku-4-5", temperature: 0.2, maxTokens: 1500, stop: ["</answer>"] },
    },
    sampleValues: {
      problem:
        "A train leaves at 09:40 and travels 210 km at an average of 84 km/h, with one 12-minute stop. At what time does it arrive?",
      answer_format: "a time as HH:MM",
    },
  },
  {
    slug: "grounded-answer",
    name: "Answer from sources with citations",
    description:
      "Answer a question only from the given sources (RAG), citing them, and say so when they do not contain the answer.",
    tags: ["rag", "citations"],
    folder: "starters/reasoning",
    draft: {
      sections: [
        section(
          "system",
          "Role",
          "You answer questions using only the numbered sources provided. You cite every claim.",
        ),
        section("context", "Sources", '{{#each sources}}<source id="{{@index}}">\n{{this}}\n</source>\n{{/each}}'),
        section("task", "Question", "{{question}}"),
        section(
          "constraints",
          "Rules",
          '- Cite sources as [0], [1] … after each claim.\n- If the sources do not contain the answer, reply exactly: "I can\'t answer that from the provided sources."\n- Answer in at most {{max_sentences}} sentences.',
        ),
      ],
      variables: [
        variable("sources", "list", "Retrieved passages, one per item"),
        variable("question", "string", "The user's question"),
        variable("max_sentences", "number", "Length limit", { default: 4 }),
      ],
      modelSettings: { model: "gpt-4.1-mini", temperature: 0.1, maxTokens: 400, stop: [] },
    },
    sampleValues: {
      sources: [
        "Refunds: annual plans can be refunded pro rata within 30 days of renewal.",
        "Monthly plans are not refundable, but can be cancelled at any time; access continues until the end of the period.",
      ],
      question: "Can I get a refund on my monthly plan?",
    },
  },
];

export function getStarter(slug: string): StarterTemplate | undefined {
  return STARTER_TEMPLATES.find((s) => s.slug === slug);
}
