// src/core/dns/wire.ts as the add-on's browser bundles hold it: built by esbuild for platform 'browser'
// with `buffer` aliased to src/core/dns/byte-buffer.ts, as scripts/build.mjs builds them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type * as Wire from '../../src/core/dns/wire.ts';

export type WireModule = typeof Wire;

export async function browserWire(): Promise<WireModule> {
  const dir = mkdtempSync(join(tmpdir(), 'srv-autoconfig-wire-'));
  try {
    const outfile = join(dir, 'wire.mjs');
    await esbuild.build({
      entryPoints: ['src/core/dns/wire.ts'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile,
      alias: { buffer: './src/core/dns/byte-buffer.ts' },
      logLevel: 'silent',
    });
    return await import(pathToFileURL(outfile).href) as WireModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `message` copied into a larger buffer at `offset`, between junk octets, and returned as a view of it. */
export function viewAt(message: Uint8Array, offset: number, junk = 0xa5): Uint8Array {
  const backing = new Uint8Array(offset + message.length + 7).fill(junk);
  backing.set(message, offset);
  return backing.subarray(offset, offset + message.length);
}
