// src/cli/fetch-policy.ts: RFC 8461 §3.3, the policy is fetched over HTTPS only.
import https from 'node:https';
import { expect, test } from 'vitest';
import { fetchPolicyOver } from '../../src/cli/fetch-policy.ts';

test('RFC 8461 §3.3: a non-HTTPS URL is refused before any name is looked up or any connection made', async () => {
  let looked = 0;
  const agent = new https.Agent();
  const fetch = fetchPolicyOver(() => void looked++, agent);
  const request = { method: 'GET', headers: {}, signal: new AbortController().signal, redirect: 'manual', maxBytes: 65536 } as const;
  await expect(fetch('http://mta-sts.example.test/.well-known/mta-sts.txt', request)).rejects.toThrow('refusing http: URL');
  expect(looked).toBe(0);
  agent.destroy();
});
