// The WHATWG URL parser, wrapped for the glue (background, options page, CLI): null instead of throwing.

export function parseUrl(text: string): URL | null {
  return URL.canParse(text) ? new URL(text) : null;
}

/** IDNA (UTS #46) as the URL parser does it — the core's Platform.toAscii — null where it refuses. */
export function urlHostname(domain: string): string | null {
  return parseUrl(`http://${domain}/`)?.hostname ?? null;
}
