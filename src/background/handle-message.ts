// Answers the popup's and options page's requests (src/protocol.ts) with the core.
import { discover, discoverWithCache, parseAddress, readSettings, resolverList, type Platform } from '../core/index.ts';
import { LAST_KEY, type DiscoverResponse, type LastLookup, type Request, type ResponseFor } from '../protocol.ts';
import { parseUrl } from './platform.ts';

const CACHE_PREFIX = 'discovery:';

export interface Deps {
  readonly platform: Platform & { readonly storage: NonNullable<Platform['storage']> };
  /** storage.sync where the browser has it (settings follow the user), else storage.local. */
  readonly settings: () => Promise<unknown>;
  readonly allKeys: () => Promise<string[]>;
  readonly showBadge: (response: DiscoverResponse) => Promise<void>;
  readonly defaultAddress: () => Promise<string | null>;
}

export type Handler = <R extends Request>(request: R) => Promise<ResponseFor[R['type']]>;

export function createHandler(deps: Deps): Handler {
  const { platform } = deps;
  const handlers: { [K in Request['type']]: (request: Extract<Request, { type: K }>) => Promise<ResponseFor[K]> } = {
    discover: async ({ address: input, fresh }) => {
      const parsed = parseAddress(input, platform);
      let response: DiscoverResponse;
      if (!parsed.ok) {
        response = { ok: false, reason: parsed.reason };
      } else {
        const settings = readSettings(await deps.settings(), parseUrl);
        const options = { resolvers: resolverList(settings), method: 'GET' as const, timeoutMs: settings.timeoutMs, transport: true };
        const discovery = fresh === true ? await discover(parsed.value, options, platform) : await discoverWithCache(parsed.value, options, platform);
        response = { ok: true, discovery };
      }
      const last: LastLookup = { input, response };
      await platform.storage.set(LAST_KEY, last);
      await deps.showBadge(response);
      return response;
    },
    defaultAddress: () => deps.defaultAddress(),
    clearCache: async () => {
      const keys = (await deps.allKeys()).filter((k) => k.startsWith(CACHE_PREFIX) || k === LAST_KEY);
      for (const key of keys) await platform.storage.remove(key);
      return { cleared: keys.length };
    },
  };
  return ((request: Request) => (handlers[request.type] as (r: Request) => Promise<unknown>)(request)) as Handler;
}
