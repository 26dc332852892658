/**
 * A `Content-Disposition: attachment` value for a download, whatever the name holds: a plain ASCII
 * `filename` (anything else becomes "-", so no quote, control character or line break can reach
 * the header) and the exact name as RFC 6266 / RFC 8187 `filename*` for clients that read it.
 */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 150) || "download";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename.slice(0, 150))}`;
}
