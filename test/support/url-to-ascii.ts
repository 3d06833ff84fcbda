// toAscii as the browser glue does it: the WHATWG URL parser's IDNA, null when it refuses.
export function urlToAscii(domain: string): string | null {
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return null;
  }
}
