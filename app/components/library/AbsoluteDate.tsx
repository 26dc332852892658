/** A calendar date ("Mar 4, 2026", UTC so server and browser agree), the full time on hover. */
export function AbsoluteDate({ iso }: { iso: string }) {
  const d = new Date(iso);
  return (
    <time dateTime={iso} title={d.toUTCString()}>
      {d.toLocaleDateString("en", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" })}
    </time>
  );
}
