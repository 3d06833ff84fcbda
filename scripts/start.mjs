// npm start: rebuild on every change and run the add-on in Thunderbird through web-ext (it reloads
// the add-on when dist/ changes). Extra arguments go to web-ext run, e.g. `npm start -- --arg=--headless`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const thunderbird = ['/usr/lib/thunderbird/thunderbird', '/usr/bin/thunderbird'].find((p) => existsSync(p));
if (thunderbird === undefined) {
  console.error('npm start runs the add-on in Thunderbird: apt-get install -y thunderbird');
  process.exit(1);
}
const build = spawn(process.execPath, ['scripts/build.mjs', '--watch'], { stdio: 'inherit' });
const run = spawn(process.execPath, ['node_modules/web-ext/bin/web-ext.js', 'run', `--firefox=${thunderbird}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
const stop = () => { build.kill(); run.kill(); };
run.on('exit', (code) => { build.kill(); process.exit(code ?? 0); });
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
