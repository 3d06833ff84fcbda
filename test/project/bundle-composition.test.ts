// The background's first load (dist/background.js and the chunks it imports statically) carries nothing that only
// Thunderbird runs: Chromium's service worker and Firefox never load it, Thunderbird loads it on first use
// (docs/performance.md#bundle-sizes). Reads the last build's dist/meta.json (`npm test` builds first).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { firstLoad, type Meta } from '../../bench/bundle-sizes.ts';

const THUNDERBIRD_ONLY = [
  'src/core/probe/probe-server.ts', 'src/core/probe/judge-probe.ts', 'src/core/probe/read-certificate.ts', 'src/core/probe/der.ts',
  'src/core/probe/probe-chosen.ts', 'src/core/probe/probe-alternatives.ts', 'src/core/accounts/plan-account.ts',
  'src/core/accounts/match-shown.ts', 'src/core/accounts/setup-offer.ts', 'src/background/handle-account-requests.ts',
  'src/background/answer-setup.ts', 'src/background/probe-connection.ts',
];

let meta: Meta;
let first: Set<string>;
const sourcesOf = (files: Iterable<string>): Set<string> => new Set([...files].flatMap((f) => Object.keys(meta.outputs[f]?.inputs ?? {})));

beforeAll(() => {
  meta = JSON.parse(readFileSync('dist/meta.json', 'utf8')) as Meta;
  first = firstLoad(meta, 'dist/background.js');
});

describe('the background bundle', () => {
  test('its first load holds the lookup (dns-packet, the DoH client, the transport checks) and none of Thunderbird\'s part', () => {
    const sources = sourcesOf(first);
    for (const needed of ['node_modules/dns-packet/index.js', 'src/core/dns/doh-client.ts', 'src/core/transport/mta-sts.ts']) {
      expect(sources, needed).toContain(needed);
    }
    expect(THUNDERBIRD_ONLY.filter((s) => sources.has(s))).toEqual([]);
  });

  test('Thunderbird\'s part is reached through dynamic imports of the first load', () => {
    const later = [...first].flatMap((f) => (meta.outputs[f]?.imports ?? []).filter((i) => i.kind === 'dynamic-import').map((i) => i.path));
    const lazy = sourcesOf(later.flatMap((f) => [...firstLoad(meta, f)]));
    expect(THUNDERBIRD_ONLY.filter((s) => !lazy.has(s))).toEqual([]);
  });

  test('the manifest loads it as an ES module: Gecko\'s event page and Chromium\'s service worker alike', () => {
    const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as { background: Record<string, unknown> };
    expect(manifest.background).toEqual({ scripts: ['dist/background.js'], service_worker: 'dist/background.js', type: 'module' });
  });
});
