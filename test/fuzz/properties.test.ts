// Property tests (fast-check): address parsing and SRV ordering hold for any input, not only ours.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseAddress } from '../../src/core/address/parse-address.ts';
import { parseHostname } from '../../src/core/address/parse-hostname.ts';
import { orderSrvRecords } from '../../src/core/discovery/order-srv-records.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { urlHostname } from '../../src/parse-url.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);
const options = { seed: SEED, numRuns: NUM_RUNS };
const platform = { toAscii: urlHostname };

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/);
const domain = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.constantFrom('com', 'test', 'jp', 'xn--zckzah'))
  .map(([ls, tld]) => [...ls, tld].join('.'));
const atom = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,10}$/);
const localPart = fc.array(atom, { minLength: 1, maxLength: 3 }).map((as) => as.join('.'));

describe('properties', () => {
  test('parseAddress never throws, and whatever it accepts is a checked host name it accepts again', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (input) => {
      const result = parseAddress(input, platform);
      if (!result.ok) return typeof result.reason === 'string';
      const { value } = result;
      return parseHostname(value.domain).ok && value.address === `${value.localPart}@${value.domain}`
        && parseAddress(value.address, platform).ok;
    }), options);
  });

  test('a well-formed address is accepted, split at its last @, domain lowercased', () => {
    fc.assert(fc.property(localPart, domain, fc.boolean(), (local, dom, upper) => {
      if (local.length > 64 || dom.length > 253) return true;
      const typed = `${local}@${upper ? dom.toUpperCase() : dom}`;
      const result = parseAddress(typed, platform);
      return result.ok && result.value.localPart === local && result.value.domain === dom;
    }), options);
  });

  test('RFC 2782: any SRV set comes out as a permutation in non-decreasing priority', () => {
    const record = fc.record({ priority: fc.integer({ min: 0, max: 65535 }), weight: fc.integer({ min: 0, max: 65535 }), id: fc.nat() });
    fc.assert(fc.property(fc.array(record, { maxLength: 12 }), fc.integer(), (records, seed) => {
      const ordered = orderSrvRecords(records, seededRandom(seed));
      const sorted = (xs: typeof records) => [...xs].sort((a, b) => a.id - b.id || a.priority - b.priority || a.weight - b.weight);
      expect(sorted(ordered)).toEqual(sorted(records));
      return ordered.every((r, i) => i === 0 || (ordered[i - 1]?.priority ?? 0) <= r.priority);
    }), options);
  });
});
