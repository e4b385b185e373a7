import type { StateHandle } from 'moonpool';
import { publishedModel } from './kv-model.js';
import { publishedStores } from './kv-state.js';

/**
 * Checked after every simulation event: no client has read an impossible value (the model's first
 * violation fails the iteration right there, with its description), and every server holds only
 * keys it owns (a routing bug would scatter a key over several servers).
 */
export function checkKv(state: StateHandle): void {
  const violation = publishedModel(state)?.violation;
  if (violation) throw new Error(violation);
  for (const [ip, { store, owned }] of publishedStores(state)) {
    for (const key of store.entries.keys()) {
      if (!owned.has(key)) throw new Error(`server ${ip} holds key ${key}, owned by another server`);
    }
  }
}
