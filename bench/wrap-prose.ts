// bench/results.md and the README's bench table keep to the repository's line limit (test/project/line-length.test.ts).

const WIDTH = 140;

/**
 * Prose lines folded at white space to WIDTH characters (the repository's line limit); a list item's
 * continuation is indented under its text. Table rows, headings and code blocks are kept whole.
 */
export function wrapProse(markdown: string, width = WIDTH): string {
  let inCode = false;
  return markdown.split('\n').flatMap((line) => {
    if (line.startsWith('```')) inCode = !inCode;
    if (inCode || [...line].length <= width || /^\s*[|#]/.test(line)) return [line];
    const indent = ' '.repeat((/^\s*(?:[-*] |\d+\. )?/.exec(line)?.[0] ?? '').length);
    const out: string[] = [];
    let current = '';
    for (const word of line.trim().split(/ +/)) {
      const prefix = out.length === 0 ? line.slice(0, line.length - line.trimStart().length) : indent;
      const next = current === '' ? `${prefix}${word}` : `${current} ${word}`;
      if ([...next].length > width && current !== '') {
        out.push(current);
        current = `${indent}${word}`;
      } else current = next;
    }
    return [...out, current];
  }).join('\n');
}
