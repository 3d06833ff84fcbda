// The one pipeline (docs/architecture.md): address → SRV queries ∥ transport checks → choice → server probes ∥
// TLSA → verdict. Each stage lives in its own folder; this file only says in which order they run.
import type { EmailAddress } from './address/parse-address.ts';
import type { DohOptions } from './dns/doh-client.ts';
import { rememberFailures } from './dns/resolver-memory.ts';
import { aliasTargets } from './discovery/alias-targets.ts';
import { chooseSettings, mergeRelookup, querySrv, type Choice } from './discovery/choose-settings.ts';
import type { Protocol } from './discovery/service-labels.ts';
import type { Platform } from './platform.ts';
import type { ServerProbe } from './probe/judge-probe.ts';
import type { DaneTarget } from './transport/dane.ts';
import { loadProbe, loadTransport } from './stages.ts';
import { askFirst } from './transport/context.ts';
import type { Transport } from './transport/index.ts';
import { verdict, type Discovery, type Probes } from './verdict/verdict.ts';

export interface DiscoveryOptions extends DohOptions {
  /** RFC 6186 §4 re-lookup: query only this protocol's labels and keep to that protocol. */
  readonly only?: Protocol;
  /** Also check MTA-STS, TLS-RPT and DANE (not on a re-lookup). */
  readonly transport?: boolean;
  /** Probe the chosen servers (certificate, STARTTLS, mechanisms) where the platform can open sockets. */
  readonly probe?: boolean;
  /** The time limit of one server's probe; defaults to `timeoutMs`. */
  readonly probeTimeoutMs?: number;
  /**
   * Called once, when the SRV answers have chosen the settings and something is still to come (TLSA, MTA-STS,
   * TLS-RPT, the probes): the popup shows the settings then. The result is not the verdict and vouches for nothing.
   * The rest of the lookup waits for the promise it returns (the caller's first answer goes out first).
   */
  readonly onSettings?: (early: Discovery, pending: readonly Pending[]) => void | Promise<void>;
}

/** What a discovery still checks after the SRV answers (docs/performance.md#two-phases). */
export type Pending = 'mta-sts' | 'tls-rpt' | 'dane' | 'probe';

/** From an address to settings, what vouches for them and the badge; `previous`: the result a re-lookup refreshes. */
export async function autoconfigure(
  address: EmailAddress,
  given: DiscoveryOptions,
  platform: Platform,
  previous?: Discovery,
): Promise<Discovery> {
  const started = platform.now();
  // One memory for every query of this discovery (SRV, TXT, MX, TLSA): no time-out is paid twice.
  const options: DiscoveryOptions = { ...given, memory: given.memory ?? rememberFailures() };
  let queries = 0;
  const counted: Platform = { ...platform, fetch: (url, init) => { queries++; return platform.fetch(url, init); } };
  const timing = (): Discovery['timing'] => ({ elapsedMs: platform.now() - started, queries });

  // The transport checks' TXT and MX queries leave together with the SRV queries, just after them: the settings wait
  // for the SRV answers only, and theirs are the first in line.
  const srv = querySrv(address, options.only, options, counted);
  // Their code loads while the questions travel (docs/performance.md#bundle-sizes).
  const asked = options.transport === true && options.only === undefined ? askFirst(address.domain, options, counted) : null;
  const checks =
    asked === null ? null : loadTransport().then((stage) => stage.startTransportChecks(address.domain, options, counted, asked));
  const fresh = chooseSettings(address, await srv, platform.random, options.only);
  const choice = previous !== undefined && options.only !== undefined ? mergeRelookup(fresh, previous, options.only) : fresh;
  if (choice.error !== null) return verdict(choice, checks === null ? null : await (await checks).finish([]), null, timing());

  // TLSA for the chosen servers follows the SRV answer; both servers' probes run beside it.
  const targets = daneTargets(choice);
  const connect = options.probe === true ? platform.connect : undefined;
  const probing = connect !== undefined;
  const pending: Pending[] = [...(checks === null ? [] : ['mta-sts', 'tls-rpt', 'dane'] as const), ...(probing ? ['probe'] as const : [])];
  if (options.onSettings !== undefined && pending.length > 0) await options.onSettings(verdict(choice, null, null, timing()), pending);
  const [transport, tlsa, probed, aliases] = await Promise.all([
    checks === null ? Promise.resolve(previous?.transport ?? null) : checks.then((started) => started.finish(targets)),
    // Without the transport checks the probe's DANE match still needs the chosen servers' TLSA, asked once.
    checks === null && probing
      ? loadTransport().then((stage) => stage.checkServerDane(address.domain, targets, options, counted))
      : Promise.resolve(null),
    // The probe's code is loaded only where it can run: a platform with sockets (docs/performance.md#bundle-sizes).
    connect === undefined ? Promise.resolve(null)
      : loadProbe().then((stage) => stage.probeChosen(choice, connect, probeLimit(options), platform)),
    // With the full checks, the chosen targets' own records are checked too (RFC 2782: no alias).
    checks === null ? Promise.resolve([]) : aliasTargets(targets.map((t) => t.host), options, counted),
  ]);
  const judged = probed === null ? 'unavailable' : await probed.judge(tlsa ?? transport?.dane ?? []);
  const probes: Probes = options.probe !== true ? null : judged;
  return verdict(choice, transport, probes, timing(), aliases);
}

function daneTargets(choice: Choice): DaneTarget[] {
  const chosen = [['incoming', choice.incoming], ['outgoing', choice.outgoing]] as const;
  return chosen.flatMap(([source, s]) => (s === null ? [] : [{ host: s.hostname, port: s.port, dnssec: s.dnssec, source }]));
}

const probeLimit = (options: DiscoveryOptions): number => options.probeTimeoutMs ?? options.timeoutMs;

export type { Discovery, Setting } from './verdict/verdict.ts';
export type { ServerProbe, Transport };
