// Starts the test resolver (test/resolver/start) once for the run and stops it afterwards.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startPolicyServer } from './policy-server.ts';
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    dohUrl: string;
    caFile: string;
    /** The resolver's folder: server.pem (for SPKI pinning in Chromium), unbound.log. */
    stateDir: string;
  }
}

/** A port the kernel just handed out on 127.0.0.1, so parallel runs do not collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = String(await freePort());
  const output = execFileSync('test/resolver/start', ['--port', port], { encoding: 'utf8' });
  const value = (key: string): string => {
    const line = output.split('\n').find((l) => l.startsWith(`${key}=`));
    if (line === undefined) throw new Error(`test/resolver/start printed no ${key}: ${output}`);
    return line.slice(key.length + 1);
  };
  project.provide('dohUrl', value('DOH_URL'));
  project.provide('caFile', value('CA_FILE'));
  project.provide('stateDir', value('STATE_DIR'));
  // The MTA-STS policy hosts of the fixture zones, on 127.0.0.1:443 with certificates from the same CA.
  const policies = await startPolicyServer(value('STATE_DIR'));
  return async () => {
    await policies.close();
    execFileSync('test/resolver/stop', ['--port', port]);
  };
}
