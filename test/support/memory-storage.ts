// The core's KeyValueStorage over a Map, with a structured-clone round-trip like storage.local.
import type { KeyValueStorage } from '../../src/core/index.ts';

export function memoryStorage(): KeyValueStorage & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (key) => structuredClone(data.get(key)),
    set: async (key, value) => void data.set(key, structuredClone(value)),
    remove: async (key) => void data.delete(key),
  };
}
