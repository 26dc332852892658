import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import { ASSERTION_KINDS, ASSERTION_LABEL, type AssertionKind } from "~/prompt/assertion-kinds";

const FIELDS: Record<AssertionKind, string[]> = {
  contains: ["value", "caseSensitive"],
  "not-contains": ["value", "caseSensitive"],
  equals: ["value"],
  regex: ["pattern", "flags"],
  json: [],
  "json-schema": ["schema"],
  length: ["min", "max"],
  tokens: ["min", "max"],
  judge: ["rubric", "judge", "threshold"],
};

/**
 * Adds an assertion to a case or a suite. With JavaScript only the kind's fields show; without it
 * every field shows and the server reads the ones the kind needs.
 */
export function AssertionForm({
  target,
  id,
  judges,
}: {
  target: { caseId: string } | { suiteId: string };
  id: string;
  judges: string[];
}) {
  const [kind, setKind] = useState<AssertionKind>("contains");
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const show = (field: string) => !hydrated || FIELDS[kind].includes(field);
  return (
    <Form method="post" className="assertion-form" aria-label="Add an assertion">
      <input type="hidden" name="intent" value="add-assertion" />
      {"caseId" in target ? (
        <input type="hidden" name="caseId" value={target.caseId} />
      ) : (
        <input type="hidden" name="suiteId" value={target.suiteId} />
      )}
      <label htmlFor={`${id}-kind`}>Assertion</label>
      <select
        id={`${id}-kind`}
        name="kind"
        value={kind}
        onChange={(e) => setKind(e.currentTarget.value as AssertionKind)}
      >
        {ASSERTION_KINDS.map((k) => (
          <option key={k} value={k}>
            {ASSERTION_LABEL[k]}
          </option>
        ))}
      </select>
      {show("value") ? (
        <>
          <label htmlFor={`${id}-value`}>Text</label>
          <input id={`${id}-value`} name="value" maxLength={10000} />
        </>
      ) : null}
      {show("caseSensitive") ? (
        <label className="check">
          <input type="checkbox" name="caseSensitive" /> case-sensitive
        </label>
      ) : null}
      {show("pattern") ? (
        <>
          <label htmlFor={`${id}-pattern`}>Pattern</label>
          <input id={`${id}-pattern`} name="pattern" maxLength={500} placeholder="^\d+ items?$" />
          <label htmlFor={`${id}-flags`}>Flags</label>
          <input id={`${id}-flags`} name="flags" maxLength={3} size={3} placeholder="i" />
        </>
      ) : null}
      {show("schema") ? (
        <>
          <label htmlFor={`${id}-schema`}>JSON Schema</label>
          <textarea id={`${id}-schema`} name="schema" rows={3} maxLength={20000} placeholder='{"type": "object"}' />
        </>
      ) : null}
      {show("min") ? (
        <>
          <label htmlFor={`${id}-min`}>Min</label>
          <input id={`${id}-min`} name="min" inputMode="numeric" size={6} />
          <label htmlFor={`${id}-max`}>Max</label>
          <input id={`${id}-max`} name="max" inputMode="numeric" size={6} />
        </>
      ) : null}
      {show("rubric") ? (
        <>
          <label htmlFor={`${id}-rubric`}>Rubric</label>
          <textarea
            id={`${id}-rubric`}
            name="rubric"
            rows={2}
            maxLength={4000}
            placeholder="Is the answer polite and correct?"
          />
          <label htmlFor={`${id}-judge`}>Judge model</label>
          <select id={`${id}-judge`} name="judge">
            {judges.map((j) => (
              <option key={j} value={j}>
                {j}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-threshold`}>Pass at</label>
          <input id={`${id}-threshold`} name="threshold" inputMode="decimal" size={4} defaultValue="0.7" />
        </>
      ) : null}
      <button type="submit" className="btn btn-small">
        Add
      </button>
    </Form>
  );
}
