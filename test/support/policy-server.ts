// The MTA-STS policy hosts of the fixture zones: one HTTPS server on 127.0.0.1:443 (RFC 8461 §3.3
// fixes the port), certificates from the test resolver's CA, behaviour chosen by host name.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { issue } from './certificates.ts';

export const POLICY_PORT = 443;
const FIXTURES = 'test/fixtures/mta-sts';

interface Reply {
  readonly status?: number;
  readonly file?: string;
  readonly contentType?: string;
  readonly location?: string;
  readonly bytes?: number;
  /** Present a certificate for another name (RFC 8461 §3.3: the certificate must be valid for the host). */
  readonly wrongCertificate?: true;
}

/** mta-sts.<domain> → what its server does. */
export const POLICIES: Record<string, Reply> = {
  'mta-sts.example.test': { file: 'rfc8461-3.2-example-test.txt' },
  'mta-sts.enforce.sts.test': { file: 'rfc8461-3.2-enforce-crlf.txt' },
  'mta-sts.testing.sts.test': { file: 'rfc8461-3.2-testing-wildcard-lf.txt', contentType: 'text/plain; charset=utf-8' },
  'mta-sts.off.sts.test': { file: 'rfc8461-3.2-none-no-final-newline.txt' },
  'mta-sts.nomx.sts.test': { file: 'rfc8461-3.2-missing-mx.txt' },
  'mta-sts.maxage.sts.test': { file: 'rfc8461-3.2-max-age-out-of-range.txt' },
  'mta-sts.mismatch.sts.test': { file: 'rfc8461-4.1-mx-mismatch.txt' },
  'mta-sts.redirect.sts.test': { status: 301, location: 'https://mta-sts.enforce.sts.test/.well-known/mta-sts.txt' },
  'mta-sts.html.sts.test': { file: 'rfc8461-3.2-enforce-crlf.txt', contentType: 'text/html' },
  'mta-sts.big.sts.test': { bytes: 70000 },
  'mta-sts.badcert.sts.test': { file: 'rfc8461-3.2-enforce-crlf.txt', wrongCertificate: true },
  'mta-sts.tab.sts.test': { file: 'rfc8461-3.2-enforce-crlf.txt' },
};

export interface PolicyServer {
  readonly certificates: readonly string[];
  readonly requests: string[];
  readonly close: () => Promise<void>;
}

/** `host`: where to listen (the benchmark puts a delaying proxy on 127.0.0.1:443 in front of it). */
export async function startPolicyServer(stateDir: string, host = '127.0.0.1'): Promise<PolicyServer> {
  const good = issue(stateDir, 'policy', Object.keys(POLICIES));
  const wrong = issue(stateDir, 'wrong-name', ['wrong-name.test']);
  const wrongContext = createSecureContext({ key: wrong.key, cert: wrong.cert });
  const requests: string[] = [];
  const server = https.createServer({
    key: good.key,
    cert: good.cert,
    SNICallback: (name, done) => done(null, POLICIES[name]?.wrongCertificate ? wrongContext : undefined),
  }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    requests.push(`${host}${req.url}`);
    const reply = POLICIES[host];
    if (reply === undefined || req.url !== '/.well-known/mta-sts.txt') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const headers: Record<string, string> = { 'content-type': reply.contentType ?? 'text/plain' };
    if (reply.location !== undefined) headers.location = reply.location;
    res.writeHead(reply.status ?? 200, headers);
    if (reply.bytes !== undefined) res.end(`version: STSv1\n${'x'.repeat(reply.bytes)}\n`);
    else res.end(reply.file === undefined ? '' : readFileSync(join(FIXTURES, reply.file)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`policy server cannot listen on ${host}:${POLICY_PORT}: ${error.message}`)));
    server.listen(POLICY_PORT, host, resolve);
  });
  return {
    certificates: [good.certFile, wrong.certFile],
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
