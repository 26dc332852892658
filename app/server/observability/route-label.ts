/**
 * Turns a request path into a bounded metrics label: the id of the deepest Remix route that
 * matches (for documents, `.data` requests and resource routes alike), "static" for built assets and
 * public files, "unmatched" otherwise. Never the raw URL, so label cardinality stays fixed.
 */
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";

export type RouteManifestEntry = {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
};

export type RouteLabeler = (pathname: string) => string;

function buildTree(manifest: Record<string, RouteManifestEntry>, parentId?: string): AgnosticRouteObject[] {
  return Object.values(manifest)
    .filter((route) => route.parentId === parentId)
    .map((route) => {
      const children = buildTree(manifest, route.id);
      return route.index
        ? { id: route.id, index: true, path: route.path, caseSensitive: route.caseSensitive }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children };
    });
}

/** With single fetch, data requests go to `/<path>.data`, and the root path's to `/_root.data`. */
export function stripDataSuffix(pathname: string): string {
  if (pathname === "/_root.data") return "/";
  if (pathname.endsWith(".data")) return pathname.slice(0, -".data".length) || "/";
  return pathname;
}

export function createRouteLabeler(
  manifest: Record<string, RouteManifestEntry>,
  options: { assetsPrefix?: string; isPublicFile?: (pathname: string) => boolean } = {},
): RouteLabeler {
  const tree = buildTree(manifest);
  const assetsPrefix = options.assetsPrefix ?? "/build/";
  const cache = new Map<string, string>();
  return (pathname) => {
    if (pathname.startsWith(assetsPrefix) || options.isPublicFile?.(pathname)) return "static";
    const cached = cache.get(pathname);
    if (cached) return cached;
    let matches: ReturnType<typeof matchRoutes> = null;
    try {
      decodeURIComponent(pathname);
      matches = matchRoutes(tree, stripDataSuffix(pathname));
    } catch {
      // A malformed escape matches no route (Remix answers it with an error page).
    }
    const label = matches?.length ? matches[matches.length - 1]!.route.id! : "unmatched";
    // The cache is bounded (entries and key length) so hostile URLs cannot grow memory: at most
    // 5,000 paths of up to 256 characters, about 2.5 MB.
    if (cache.size < 5000 && pathname.length <= 256) cache.set(pathname, label);
    return label;
  };
}
