// What each background bundle carries (docs/performance.md#bundle-sizes): Gecko's first load holds the lookup and
// loads the transport checks and Thunderbird's part on first use; Chromium's service worker, which may not import()
// at all, is one file with the transport checks and without Thunderbird's part. Reads the last build's dist/meta.json
// (`npm test` builds first).
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { firstLoad, type Meta } from '../../bench/bundle-sizes.ts';
import { SERVICE_WORKER_SIBLINGS, siblingOf } from '../../scripts/service-worker-siblings.mjs';

/** Thunderbird's part: what src/core/stages.ts and src/background/thunderbird-parts.ts load, and what only they import. */
const THUNDERBIRD_PART = [
  'src/core/probe/probe-chosen.ts', 'src/background/handle-account-requests.ts', 'src/background/answer-setup.ts',
  'src/background/probe-connection.ts', 'src/core/probe/probe-server.ts', 'src/core/probe/judge-probe.ts',
  'src/core/probe/read-certificate.ts', 'src/core/probe/der.ts', 'src/core/probe/probe-alternatives.ts',
  'src/core/accounts/plan-account.ts', 'src/core/accounts/match-shown.ts', 'src/core/accounts/setup-offer.ts',
];
/** What Gecko's first load wires to Thunderbird's Experiments and events (src/background/thunderbird-glue.ts). */
const THUNDERBIRD_GLUE = [
  'src/background/thunderbird-glue.ts', 'src/background/accounts-experiment.ts', 'src/background/setup-experiment.ts',
  'src/background/probe-experiment.ts', 'src/background/default-address.ts',
];
const TRANSPORT = ['src/core/transport/mta-sts.ts', 'src/core/transport/tls-rpt.ts', 'src/core/transport/dane.ts'];
const LOOKUP = ['node_modules/dns-packet/index.js', 'src/core/dns/doh-client.ts', 'src/core/discovery/choose-settings.ts'];

let meta: Meta;
const sourcesOf = (files: Iterable<string>): Set<string> => new Set([...files].flatMap((f) => Object.keys(meta.outputs[f]?.inputs ?? {})));
const missing = (wanted: readonly string[], sources: Set<string>): string[] => wanted.filter((s) => !sources.has(s));
const present = (unwanted: readonly string[], sources: Set<string>): string[] => unwanted.filter((s) => sources.has(s));

beforeAll(() => {
  meta = JSON.parse(readFileSync('dist/meta.json', 'utf8')) as Meta;
});

describe('Gecko\'s background (Thunderbird, Firefox)', () => {
  test('its first load holds the lookup, and neither the transport checks nor Thunderbird\'s part', () => {
    const sources = sourcesOf(firstLoad(meta, 'dist/background.js'));
    expect(missing(LOOKUP, sources)).toEqual([]);
    expect(present([...TRANSPORT, ...THUNDERBIRD_PART], sources)).toEqual([]);
  });

  test('those are reached through dynamic imports of the first load', () => {
    const first = firstLoad(meta, 'dist/background.js');
    const later = [...first].flatMap((f) => (meta.outputs[f]?.imports ?? []).filter((i) => i.kind === 'dynamic-import').map((i) => i.path));
    expect(missing([...TRANSPORT, ...THUNDERBIRD_PART], sourcesOf(later.flatMap((f) => [...firstLoad(meta, f)])))).toEqual([]);
  });
});

describe('Chromium\'s service worker', () => {
  test('one file that never calls import(): Chromium refuses it in a service worker', () => {
    expect(meta.outputs['dist/service-worker.js']?.imports ?? []).toEqual([]);
    expect(readFileSync('dist/service-worker.js', 'utf8')).not.toMatch(/\bimport\s*\(/);
  });

  test('its stage loaders are the .service-worker.ts siblings; Gecko\'s background never holds those', () => {
    const worker = sourcesOf(['dist/service-worker.js']);
    expect(present(SERVICE_WORKER_SIBLINGS, worker)).toEqual([]);
    expect(missing(SERVICE_WORKER_SIBLINGS.map(siblingOf), worker)).toEqual([]);
    const gecko = sourcesOf(Object.keys(meta.outputs).filter((f) => !f.endsWith('service-worker.js')));
    expect(present(SERVICE_WORKER_SIBLINGS.map(siblingOf), gecko)).toEqual([]);
  });

  test('it holds the lookup and the transport checks, and none of Thunderbird\'s part or glue', () => {
    const sources = sourcesOf(['dist/service-worker.js']);
    expect(missing([...LOOKUP, ...TRANSPORT], sources)).toEqual([]);
    expect(present([...THUNDERBIRD_PART, ...THUNDERBIRD_GLUE], sources)).toEqual([]);
  });
});

test('every import() of src/ is in one of the two stage loaders, whose service-worker siblings import nothing later', () => {
  const sources = readdirSync('src', { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
  // A call with a module name, not a type position (`typeof import(...)`) nor a comment that names import().
  const loading = sources.filter((f) => /(?<!typeof )\bimport\(\s*['"`]/.test(readFileSync(`src/${f}`, 'utf8')));
  expect(loading.sort()).toEqual(['background/thunderbird-parts.ts', 'core/stages.ts']);
});

test('the manifest: an ES module for Gecko\'s event page, the one-file service worker for Chromium', () => {
  const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as { background: Record<string, unknown> };
  expect(manifest.background).toEqual({ scripts: ['dist/background.js'], service_worker: 'dist/service-worker.js', type: 'module' });
});
