// Debian's Thunderbird with a fresh profile holding the packaged add-on, driven over Marionette.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './global-resolver.ts';
import { Marionette } from './marionette.ts';

export const THUNDERBIRD = '/usr/bin/thunderbird';
const ADDON_ID = (JSON.parse(readFileSync('manifest.json', 'utf8')) as { browser_specific_settings: { gecko: { id: string } } })
  .browser_specific_settings.gecko.id;

export interface RunningThunderbird {
  readonly marionette: Marionette;
  readonly addonId: string;
  readonly profile: string;
  readonly stop: () => Promise<void>;
}

/** `npm run package`'s artifact: web-ext build of the add-on, as a user would install it. */
export function packageAddon(outDir: string): string {
  execFileSync(
    process.execPath,
    ['node_modules/web-ext/bin/web-ext.js', 'build', '--overwrite-dest', '--artifacts-dir', outDir, '--filename', 'srv-autoconfig.xpi'],
    { stdio: 'pipe' },
  );
  return join(outDir, 'srv-autoconfig.xpi');
}

/** `display`: an X display (e.g. Xvfb's) to run on instead of headless, for tests that click Thunderbird's own dialogs. */
export async function startThunderbird(
  { caFile, xpi, dohUrl, display }: { caFile: string; xpi: string; dohUrl: string; display?: string },
): Promise<RunningThunderbird> {
  const profile = mkdtempSync(join(tmpdir(), 'srv-autoconfig-tb-'));
  mkdirSync(join(profile, 'extensions'));
  // A profile-dropped add-on is what a user's Add-ons Manager install leaves behind.
  copyFileSync(xpi, join(profile, 'extensions', `${ADDON_ID}.xpi`));
  const port = await freePort();
  const prefs: Record<string, string | number | boolean> = {
    'marionette.port': port,
    'extensions.autoDisableScopes': 0, // default 3 disables add-ons dropped into the profile
    'xpinstall.signatures.required': false,
    // Extension pages in the parent process, so the test can read the popup's DOM from chrome code.
    'extensions.webextensions.remote': false,
    // Off the network: anything but loopback and the fixture names (*.test) goes to a dead proxy.
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1', 'network.proxy.http_port': 9,
    'network.proxy.ssl': '127.0.0.1', 'network.proxy.ssl_port': 9,
    'network.proxy.allow_hijacking_localhost': false,
    'network.proxy.no_proxies_on': '.test',
    // Names (the MTA-STS policy hosts) resolve through the test resolver only, loopback answers allowed.
    'network.trr.mode': 3,
    'network.trr.uri': dohUrl,
    'network.trr.allow-rfc1918': true,
    'network.trr.confirmationNS': 'skip',
    'app.update.enabled': false, 'app.update.auto': false,
    'datareporting.policy.dataSubmissionEnabled': false, 'toolkit.telemetry.enabled': false,
    'mail.shell.checkDefaultClient': false, 'mail.rights.version': 1, 'mailnews.start_page.enabled': false,
    'mail.provider.enabled': false, 'mail.spotlight.firstRunDone': true,
    'extensions.update.enabled': false, 'browser.shell.checkDefaultBrowser': false,
    // Under Xvfb an ARGB visual paints popups black.
    ...(display === undefined ? {} : { 'mozilla.widget.use-argb-visuals': false }),
  };
  writeFileSync(
    join(profile, 'user.js'),
    Object.entries(prefs)
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
      .join('\n'),
  );
  // Trust the test resolver's CA in this profile only.
  execFileSync('certutil', ['-N', '-d', `sql:${profile}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${profile}`, '-n', 'SRV Autoconfig test CA', '-t', 'C,,', '-i', caFile]);

  const args = [
    '--profile',
    profile,
    '--no-remote',
    ...(display === undefined ? ['--headless'] : []),
    '--marionette',
    '-remote-allow-system-access',
  ];
  const env = display === undefined ? { ...process.env, MOZ_HEADLESS: '1' } : { ...process.env, DISPLAY: display };
  const child: ChildProcess = spawn(THUNDERBIRD, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...env, MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let marionette: Marionette;
  try {
    marionette = await Marionette.connect(port);
    await marionette.send('WebDriver:NewSession', { capabilities: {} });
    await marionette.send('Marionette:SetContext', { value: 'chrome' });
    await marionette.send('WebDriver:SetTimeouts', { script: 120000 });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`Thunderbird did not start: ${String(error)}\n${stderr}`);
  }
  return {
    marionette,
    addonId: ADDON_ID,
    profile,
    stop: async () => {
      try {
        await Promise.race([marionette.send('Marionette:Quit', { flags: ['eForceQuit'] }), new Promise((r) => setTimeout(r, 5000))]);
      } catch {
        // Quitting closes the socket under the reply; the exit below is what counts.
      }
      marionette.close();
      const killer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(killer);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
