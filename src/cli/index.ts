#!/usr/bin/env node
// Entry point of dist/cli.js: runs main() and exits with its code.
import { main } from './main.ts';

const code = await main(process.argv.slice(2), (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`));
process.exitCode = code;
