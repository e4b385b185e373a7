import type { StateHandle } from 'moonpool';
import type { KvStore } from './kv-store.js';

/** The value under `key` in the iteration's shared state, published by whoever asks first. */
export function getOrPublish<T>(state: StateHandle, key: string, make: () => T): T {
  let value = state.get<T>(key);
  if (value === undefined) {
    value = make();
    state.publish(key, value);
  }
  return value;
}

/** A server's current store (replaced at every boot) and the keys it owns, for invariants. */
export interface PublishedStore {
  readonly store: KvStore;
  readonly owned: ReadonlySet<string>;
}

const STORES_KEY = 'kv:stores';

/** Every server's published store, by IP. */
export function publishedStores(state: StateHandle): Map<string, PublishedStore> {
  return getOrPublish(state, STORES_KEY, () => new Map<string, PublishedStore>());
}
