// The probe Experiment's argument checks, kept apart so Node can test them (test/experiments/probe-arguments.test.ts).
// Loaded into implementation.js's scope with loadSubScript: top-level declarations become its properties.
// schema.json checks the same; this is the second line, for anything that reaches the parent another way.
'use strict';

/* exported PROBE_LIMITS, probeArgumentError */

var PROBE_LIMITS = Object.freeze({
  // RFC 1035 §2.3.4: 253 octets of name in text form, 63 per label.
  maxHostOctets: 253,
  maxLabelOctets: 63,
  // The whole probe of one server ends within this, whatever the caller asks (docs/architecture.md: every read is bounded).
  minTimeoutMs: 100,
  maxTimeoutMs: 60000,
  // RFC 5321 §4.5.3.1.5: a reply line of 512 octets; IMAP/POP3 capability lines can be longer, so allow up to 64 KiB.
  minLineOctets: 64,
  maxLineOctets: 65536,
  // RFC 5321 §4.5.3.1.4: a command line of at most 512 octets with CRLF; IMAP and POP3 commands of a probe are shorter.
  maxWriteOctets: 510,
  // Connections one add-on may hold open at once: two servers, plus alternatives on request.
  maxOpen: 16,
});

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** Host names only (RFC 1123 §2.1 letters, digits, hyphens): no IP literals, no all-numeric top label. */
function hostError(host) {
  if (typeof host !== 'string') return 'host must be a string';
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > PROBE_LIMITS.maxHostOctets) return `host must be 1–${PROBE_LIMITS.maxHostOctets} octets`;
  const labels = name.split('.');
  for (const label of labels) {
    if (label.length > PROBE_LIMITS.maxLabelOctets) return `host label over ${PROBE_LIMITS.maxLabelOctets} octets`;
    if (!LABEL.test(label)) return `host label "${label}" is not letters, digits and inner hyphens`;
  }
  // RFC 3696 §2: a top-level name is never all-numeric, so this is an address, not a host name.
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return 'host must be a name, not an address';
  return null;
}

const integerIn = (value, min, max) => Number.isInteger(value) && value >= min && value <= max;

/** Why a call's arguments are refused, or null: `what` is the function name. */
function probeArgumentError(what, args) {
  switch (what) {
    case 'connect': {
      const request = args[0];
      if (typeof request !== 'object' || request === null) return 'connect needs a request object';
      const error = hostError(request.host);
      if (error !== null) return error;
      if (!integerIn(request.port, 1, 65535)) return 'port must be an integer 1–65535';
      if (typeof request.tls !== 'boolean') return 'tls must be true or false';
      if (!integerIn(request.timeoutMs, PROBE_LIMITS.minTimeoutMs, PROBE_LIMITS.maxTimeoutMs)) {
        return `timeoutMs must be an integer ${PROBE_LIMITS.minTimeoutMs}–${PROBE_LIMITS.maxTimeoutMs}`;
      }
      if (!integerIn(request.maxLineOctets, PROBE_LIMITS.minLineOctets, PROBE_LIMITS.maxLineOctets)) {
        return `maxLineOctets must be an integer ${PROBE_LIMITS.minLineOctets}–${PROBE_LIMITS.maxLineOctets}`;
      }
      return null;
    }
    case 'writeLine': {
      const [id, line] = args;
      if (!integerIn(id, 1, Number.MAX_SAFE_INTEGER)) return 'id must be a connection id';
      if (typeof line !== 'string') return 'line must be a string';
      // A line break or NUL inside would let one call smuggle a second command (RFC 5321 §4.1.1, RFC 9051 §2.2).
      if (/[\r\n\0]/.test(line)) return 'line must not hold CR, LF or NUL';
      if (new TextEncoder().encode(line).length > PROBE_LIMITS.maxWriteOctets) return `line over ${PROBE_LIMITS.maxWriteOctets} octets`;
      return null;
    }
    case 'readLine':
    case 'startTls':
    case 'close':
      return integerIn(args[0], 1, Number.MAX_SAFE_INTEGER) ? null : 'id must be a connection id';
    default:
      return `unknown function ${String(what)}`;
  }
}
