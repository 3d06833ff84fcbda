// Each Experiment's schema (what Thunderbird exposes) and the TypeScript interface the background calls it through
// (src/browser-api.ts) name the same functions and events: a name changed on one side only would fail in Thunderbird.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

interface Schema { namespace: string; functions?: { name: string }[]; events?: { name: string }[] }

/** The members of `export interface <name> { … }`: its methods and its `readonly onX` events. */
export function interfaceMembers(source: string, name: string): string[] {
  const body = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? '';
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)[(:]/gm)].map((m) => m[1]!).sort();
}

test('the member finder sees methods and readonly events, not nested fields', () => {
  const source = 'export interface X {\n  a(x: { b: number }): void;\n  readonly onC: { addListener(): void };\n  /** d() */\n}';
  expect(interfaceMembers(source, 'X')).toEqual(['a', 'onC']);
});

test.each([
  ['accounts', 'srvAutoconfigAccounts', 'AccountsExperiment'],
  ['probe', 'srvAutoconfigProbe', 'ProbeExperiment'],
  ['setup', 'srvAutoconfigSetup', 'SetupExperiment'],
])('src/experiments/%s: the schema of %s and the interface %s agree', (folder, namespace, name) => {
  const [schema] = JSON.parse(readFileSync(`src/experiments/${folder}/schema.json`, 'utf8')) as Schema[];
  expect(schema?.namespace).toBe(namespace);
  const declared = [...(schema?.functions ?? []), ...(schema?.events ?? [])].map((f) => f.name).sort();
  expect(interfaceMembers(readFileSync(`src/background/${folder}-experiment.ts`, 'utf8'), name)).toEqual(declared);
  expect(readFileSync('src/browser-api.ts', 'utf8')).toContain(`readonly ${namespace}?: ${name};`);
});
