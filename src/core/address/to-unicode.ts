// A-labels back to U-labels (RFC 5891 §5.5, Punycode decoding per RFC 3492 §6.2), for the one place a
// domain is shown in Unicode: the login name of an address whose local-part is Unicode (RFC 6531 §3.3).

const BASE = 36; // RFC 3492 §5: the bootstring parameters for Punycode
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;
const MAX_INT = 0x7fffffff; // RFC 3492 §6.4: decoders detect overflow past this
const ACE_PREFIX = 'xn--'; // RFC 5890 §2.3.2.1

/** RFC 3492 §6.1 bias adaptation. */
function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : Math.floor(delta / 2);
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function digit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 22; // '0'..'9' are 26..35
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  return -1;
}

/** RFC 3492 §6.2 decoding of the part after `xn--`; null where it is not valid Punycode. */
export function decodePunycode(input: string): string | null {
  const delimiter = Math.max(0, input.lastIndexOf('-'));
  const output: number[] = [];
  for (let j = 0; j < delimiter; j++) {
    const code = input.charCodeAt(j);
    if (code >= 0x80) return null;
    output.push(code);
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let pos = delimiter > 0 ? delimiter + 1 : 0; pos < input.length;) {
    const before = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (pos >= input.length) return null;
      const d = digit(input.charCodeAt(pos++));
      if (d < 0 || d > Math.floor((MAX_INT - i) / w)) return null;
      i += d * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (d < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) return null;
      w *= BASE - t;
    }
    const length = output.length + 1;
    bias = adapt(i - before, length, before === 0);
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return null;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

/** The hostname, lowercased, with every A-label as its U-label; a label that does not decode stays an A-label. */
export function toUnicode(hostname: string): string {
  return hostname
    .toLowerCase()
    .split('.')
    .map((label) => (label.startsWith(ACE_PREFIX) ? decodePunycode(label.slice(ACE_PREFIX.length)) ?? label : label))
    .join('.');
}
