import type { BucketKeys } from './types.js';

/** Sorted key/value pairs as JSON: the same combination always gives the same identity. */
export function bucketKey(keys: BucketKeys): string {
  const sorted: Record<string, string | number | boolean> = {};
  for (const name of Object.keys(keys).sort())
    sorted[name] = keys[name] as string | number | boolean;
  return JSON.stringify(sorted);
}
