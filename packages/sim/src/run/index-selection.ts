import type { IndexRange } from '../report/index-range.js';

/**
 * Which iterations of a run to execute: the i-th of n shards, or an explicit range of indices.
 * Plain runs select iteration indices, explorations root seeds (by their index); the seed of index
 * k is always `nthSeed(baseSeed, k)`, so any subset is reproducible on its own.
 */
export type IndexSelection =
  | { readonly kind: 'shard'; readonly index: number; readonly count: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number };

/** A selection that does not fit the run (or a run that cannot be split): a usage error. */
export class IndexSelectionError extends RangeError {
  /** Always `'IndexSelectionError'`. */
  override name = 'IndexSelectionError';
}

/**
 * The indices `selection` picks out of `total`. Shards are contiguous blocks whose sizes differ by
 * at most one (shard i of n: [floor((i-1)·total/n), floor(i·total/n))); blocks keep each report's
 * assertion results in first-seen order, which lets a merge put them back in the unsharded order.
 */
export function resolveSelection(selection: IndexSelection, total: number): IndexRange {
  if (selection.kind === 'shard') {
    const { index, count } = selection;
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new IndexSelectionError(`the shard count must be an integer >= 1, got ${count}`);
    }
    if (!Number.isSafeInteger(index) || index < 1 || index > count) {
      throw new IndexSelectionError(`shard ${index}/${count}: the shard number must be between 1 and ${count}`);
    }
    return { from: Math.floor(((index - 1) * total) / count), to: Math.floor((index * total) / count) };
  }
  const { from, to } = selection;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to <= from) {
    throw new IndexSelectionError(`the index range ${from}:${to} must have 0 <= from < to`);
  }
  if (to > total) {
    throw new IndexSelectionError(
      `the index range ${from}:${to} goes beyond the run's ${total} iterations (indices 0 to ${total - 1})`,
    );
  }
  return { from, to };
}
