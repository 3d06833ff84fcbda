#!/usr/bin/env node
// Entry point of dist/cli.js: runs main() and exits with its code.
import { main } from './main.ts';

const code = await main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`));
// The work is done once main() returns: exit then, whatever a server left open (a hung resolver's
// connection, a lookup still winding down), once what was written has been flushed.
const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
