// A DNS server run by a test: started in the foreground, its log kept, stopped by its own pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import http2 from 'node:http2';
import * as packet from 'dns-packet';

export interface Daemon {
  readonly log: () => string;
  /** False once the process has ended (a configuration error ends it at once). */
  readonly running: () => boolean;
  readonly stop: () => Promise<void>;
}

/** Fails with the install line when `command` is missing, so a bare machine says what to do. */
export function requireCommand(command: string, pkg: string): void {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) throw new Error(`${command} is not installed: apt-get install ${pkg}`);
}

export function startDaemon(command: string, args: readonly string[], logFile: string): Daemon {
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    log: () => readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n'),
    running: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until `url` answers a DoH POST for `name` SOA with HTTP 200; throws with the daemon's log otherwise. */
export async function waitForDoh(url: string, caFile: string, name: string, daemon: Daemon, timeoutMs = 15000): Promise<void> {
  const ca = readFileSync(caFile, 'utf8');
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url, ca, name))) {
    if (!daemon.running()) throw new Error(`the server for ${url} ended:\n${daemon.log()}`);
    if (Date.now() > deadline) {
      await daemon.stop();
      throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${daemon.log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function answers(url: string, ca: string, name: string): Promise<boolean> {
  return new Promise((done) => {
    const query = packet.encode({ type: 'query', id: 0, flags: packet.RECURSION_DESIRED, questions: [{ type: 'SOA', name }] });
    const target = new URL(url);
    const session = http2.connect(target.origin, { ca });
    const timer = setTimeout(() => finish(false), 2000);
    function finish(ok: boolean): void {
      clearTimeout(timer);
      session.destroy();
      done(ok);
    }
    session.on('error', () => finish(false));
    const stream = session.request({
      ':method': 'POST', ':path': target.pathname, 'content-type': 'application/dns-message', 'content-length': String(query.length),
    });
    stream.on('error', () => finish(false));
    stream.on('response', (headers) => finish(headers[':status'] === 200));
    stream.end(query);
  });
}
