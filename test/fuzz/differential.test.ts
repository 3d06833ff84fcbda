// Differential check: on valid messages our decoder and ldns (`drill -i`, ldnsutils) read the same
// records — owner, TTL, type and RDATA — so neither invents nor drops one; our decoder in the Node
// build and in the add-on's browser build, each also given the message as a view at an offset.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { decodeResponse, type ResourceRecord } from '../../src/core/dns/wire.ts';
import { browserWire, viewAt } from '../support/browser-wire.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { validCase } from './generate.ts';

const MESSAGES = Number(process.env.DIFFERENTIAL_RUNS ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-drill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUILDS = [['node', decodeResponse], ['browser', (await browserWire()).decodeResponse]] as const;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Our record in ldns's presentation form (lowercased, as both sides are compared). */
function present(r: ResourceRecord): string {
  const d = r.data;
  const name = (n: string): string => (n === '.' ? '.' : `${n}.`);
  const rdata = (() => {
    switch (d.type) {
      case 'SRV':
        return `SRV ${d.priority} ${d.weight} ${d.port} ${name(d.target)}`;
      case 'MX':
        return `MX ${d.preference} ${name(d.exchange)}`;
      case 'CNAME':
        return `CNAME ${name(d.target)}`;
      case 'A':
        return `A ${d.address}`;
      case 'TLSA':
        return `TLSA ${d.usage} ${d.selector} ${d.matchingType} ${hex(d.data)}`;
      case 'TXT':
        return `TXT ${d.strings
          .map(
            (s) =>
              `"${Buffer.from(s)
                .toString('latin1')
                .replace(/["\\]/g, (c) => `\\${c}`)}"`,
          )
          .join(' ')}`;
      default:
        return d.type === 'other' ? `TYPE${d.code}` : `${d.type} ${d.address}`;
    }
  })();
  return `${name(r.name)} ${r.ttl} IN ${rdata}`.toLowerCase();
}

/** drill's ANSWER SECTION lines; fields are tab-separated (spaces inside TXT strings are data). */
function drill(bytes: Uint8Array, i: number): string[] {
  const file = join(dir, `${i}.hex`);
  writeFileSync(file, hex(bytes));
  const out = execFileSync('drill', ['-i', file], { encoding: 'latin1' });
  const section = out.split(';; ANSWER SECTION:\n')[1]?.split('\n\n')[0] ?? '';
  return section.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';;')).map((l) => l.replace(/\t+/g, ' ').trim().toLowerCase());
}

describe(`differential: our decoder and ldns on ${MESSAGES} valid messages`, () => {
  test('every message reads the same in both', () => {
    const random = seededRandom(7672);
    let records = 0;
    for (let i = 0; i < MESSAGES; i++) {
      const c = validCase(random);
      const theirs = drill(c.bytes, i);
      for (const [build, decode] of BUILDS) {
        for (const bytes of [c.bytes, viewAt(c.bytes, 1 + (i % 13))]) {
          const ours = decode(bytes, c.question);
          expect(ours.ok, `message ${i}, ${build} build`).toBe(true);
          if (!ours.ok) continue;
          expect(ours.response.answers.map(present), `message ${i}, ${build} build: ${hex(c.bytes)}`).toEqual(theirs);
        }
      }
      records += theirs.length;
    }
    expect(records).toBeGreaterThan(MESSAGES);
  });
});
