// Plain async calls to the background (docs/architecture.md#conventions): the popup never calls sendMessage itself.
import {
  isCreateProgress, LAST_KEY, LAST_VERSION, type CreateStep, type LastLookup, type Request, type ResponseFor,
} from '../src/protocol.ts';
import type { ServerRef } from '../src/core/index.ts';
import { api } from './extension-api.ts';

async function ask<R extends Request>(request: R): Promise<ResponseFor[R['type']]> {
  const response = await api.runtime.sendMessage(request);
  // The background reports a bug in itself as {failure}; expected outcomes are values.
  if (typeof response === 'object' && response !== null && 'failure' in response) throw new Error(String(response.failure));
  return response as ResponseFor[R['type']];
}

export const discover = (address: string, fresh = false) => ask({ type: 'discover', address, fresh });
/** The settings as soon as the SRV answers are in; `discoverFinal` then gives the verdict (docs/performance.md#two-phases). */
export const discoverSettings = (address: string) => ask({ type: 'discoverSettings', address });
export const discoverFinal = (lookup: number) => ask({ type: 'discoverFinal', lookup });
/** Read straight from storage.local: no round trip to a background that may first have to wake up. */
export async function lastResult(): Promise<LastLookup | null> {
  const stored = (await api.storage.local.get(LAST_KEY))[LAST_KEY] as Partial<LastLookup> | undefined;
  // Another version's result (before an upgrade) is not rendered: its shape may differ.
  const usable =
    stored?.version === LAST_VERSION && typeof stored.input === 'string' && typeof stored.response === 'object' && stored.response !== null;
  return usable ? (stored as LastLookup) : null;
}
/** Opens the resolver connection while the user types (the answer itself is not used). */
export const preconnect = () => ask({ type: 'preconnect' });
export const defaultAddress = () => ask({ type: 'defaultAddress' });
export const clearCache = () => ask({ type: 'clearCache' });
export const capabilities = () => ask({ type: 'capabilities' });
export const knowsOAuth2 = (servers: readonly ServerRef[]) => ask({ type: 'knowsOAuth2', servers });
export const probeAlternative = async (address: string, server: ServerRef) =>
  (await ask({ type: 'probeAlternative', address, server })).setting;
export const listAccounts = () => ask({ type: 'listAccounts' });
/** Only called after the user's confirming click, with the servers the row showed. */
export const updateAccount = (accountId: string, shown: Extract<Request, { type: 'updateAccount' }>['shown'], trusted: boolean) =>
  ask({ type: 'updateAccount', accountId, shown, confirmed: true, trusted });
export const recheckAccount = (accountId: string) => ask({ type: 'recheckAccount', accountId });
export const createAccount = (request: Omit<Extract<Request, { type: 'createAccount' }>, 'type'>) =>
  ask({ type: 'createAccount', ...request });
export const cancelCreate = () => ask({ type: 'cancelCreate' });
/** The background's steps while an account is created (runtime messages from our own background only). */
export function onCreateProgress(listener: (step: CreateStep) => void): void {
  api.runtime.onMessage.addListener((message: unknown, sender: { id?: string }) => {
    if (sender.id === api.runtime.id && isCreateProgress(message)) listener(message.progress);
    return undefined;
  });
}
