// srv-autoconfig <address> [--doh URL]... [--json] [--no-transport] [--no-probe] [--probe-alternatives] [--timeout MS] [--ca FILE]
// (docs/interfaces.md)
import { parseArgs } from 'node:util';
import {
  autoconfigure, checkResolverUrl, DEFAULT_SETTINGS, DEFAULT_TIMEOUT_MS, parseAddress, rememberFailures, resolverList,
  type Discovery,
} from '../core/index.ts';
import { probeAlternatives } from '../core/probe/index.ts';
import { parseUrl } from '../parse-url.ts';
import { formatTable } from './format-table.ts';
import { describe } from './messages.ts';
import { createNodePlatform } from './platform.ts';

export const EXIT = { found: 0, badInput: 2, notPublished: 3, resolverFailure: 4 } as const;
const USAGE = 'usage: srv-autoconfig <address> [--doh URL]... [--json] [--no-transport] [--no-probe] [--probe-alternatives] [--timeout MS]'
  + ' [--ca FILE] [--post]';

class UsageError extends Error {}

export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let args;
  try {
    args = readArguments(argv);
  } catch (error) {
    err(`srv-autoconfig: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return EXIT.badInput;
  }
  if (args === 'help') {
    out(USAGE);
    return EXIT.found;
  }
  // One discovery per run: the policy host's address lookups share its memory of failed resolvers.
  const memory = rememberFailures();
  const options = {
    resolvers: args.doh,
    method: args.method,
    timeoutMs: args.timeout,
    transport: args.transport,
    probe: args.probe,
    memory,
  };
  let node;
  try {
    node = createNodePlatform(args.ca, options);
  } catch (error) {
    err(`srv-autoconfig: cannot read --ca file: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.badInput;
  }
  try {
    const parsed = parseAddress(args.address, node.platform);
    if (!parsed.ok) {
      err(`srv-autoconfig: invalid address ${JSON.stringify(args.address)}: ${describe(parsed.reason)} (${parsed.reason})`);
      return EXIT.badInput;
    }
    const chosen = await autoconfigure(parsed.value, options, node.platform);
    // On request the alternatives are probed too (each alternatives[].probe), after the chosen servers.
    const result = args.probeAlternatives && args.probe ? await probeAlternatives(chosen, options, node.platform) : chosen;
    // A failed lookup has no table to show: its one line goes to stderr (JSON still tells tools all).
    if (args.json) out(JSON.stringify(toJson(result), null, 2));
    else if (result.error === null) out(formatTable(result));
    if (result.error !== null) {
      const e = result.error;
      err(`srv-autoconfig: resolver failure for ${e.name} (${e.reason}): ${describe(e.reason)} [${e.detail}]`);
    }
    return result.status === 'found' ? EXIT.found : result.status === 'not-published' ? EXIT.notPublished : EXIT.resolverFailure;
  } finally {
    node.close();
  }
}

interface Arguments {
  readonly address: string;
  readonly doh: readonly string[];
  readonly json: boolean;
  readonly transport: boolean;
  readonly probe: boolean;
  readonly probeAlternatives: boolean;
  readonly timeout: number;
  readonly ca?: string;
  readonly method: 'GET' | 'POST';
}

function readArguments(argv: readonly string[]): Arguments | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      doh: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      'no-transport': { type: 'boolean', default: false },
      'no-probe': { type: 'boolean', default: false },
      'probe-alternatives': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      ca: { type: 'string' },
      post: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? 'an email address is required' : 'give exactly one address');
  // The checked URL, not the text: a URI template (RFC 8484 §4.1) is used expanded.
  const doh = (values.doh ?? resolverList(DEFAULT_SETTINGS)).map((url) => {
    const checked = checkResolverUrl(url, parseUrl);
    if (!checked.ok) throw new UsageError(`--doh ${JSON.stringify(url)}: ${describe(checked.reason)}`);
    return checked.url;
  });
  const timeout = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a positive whole number of milliseconds`);
  return {
    address: positionals[0] ?? '',
    doh,
    json: values.json,
    transport: !values['no-transport'],
    probe: !values['no-probe'],
    probeAlternatives: values['probe-alternatives'],
    timeout,
    ...(values.ca === undefined ? {} : { ca: values.ca }),
    method: values.post ? 'POST' : 'GET',
  };
}

/** The JSON object of docs/interfaces.md: the Discovery less its internal `fromCache`. */
function toJson(d: Discovery): object {
  const { status, address, domain, incoming, outgoing, alternatives, notOffered, rejected, dnssec, badge, transport, timing, error } = d;
  return { status, address, domain, incoming, outgoing, alternatives, notOffered, rejected, dnssec, badge, transport, timing, error };
}
