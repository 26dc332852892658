/** What an account action did, with the secret it made (a token, an invitation link) shown this once. */
export function OneTimeNotice({ done, secret }: { done: string; secret?: string | null }) {
  return (
    <div className="alert" role="status">
      <p>{done}</p>
      {secret ? (
        <p>
          <code className="token-once">{secret}</code>
        </p>
      ) : null}
    </div>
  );
}
