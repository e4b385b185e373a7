import { randomBytes } from 'node:crypto';

/** BullMQ's key prefix for campaign queues: everything a campaign stores in Redis starts with it. */
export const KEY_PREFIX = 'moonpool';
/** The queue of seed-range jobs (the children of a campaign's flow). */
export const RANGES_QUEUE = 'campaign-ranges';
/** The queue of merge jobs (a campaign's flow parent; its job id is the campaign id). */
export const MERGE_QUEUE = 'campaign-merge';

/** `maze-20261204t054500-3fa2`: the simulation, when it started (UTC) and 4 random hex digits. */
export function newCampaignId(simulation: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').toLowerCase();
  return `${simulation}-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Campaign ids as `newCampaignId` makes them (simulation names are lowercase letters, digits, - _ :). */
export function isCampaignId(text: string): boolean {
  return /^[a-z0-9_:-]+-[0-9]{8}t[0-9]{6}-[0-9a-f]{4}$/.test(text);
}

/** A range job's id: the campaign and its index range, so the same range is never queued twice. */
export function rangeJobId(campaign: string, from: number, to: number): string {
  return `${campaign}.${from}-${to}`;
}

/** Where workers publish the first failing seed of a campaign as soon as they find it (JSON). */
export function firstFailureKey(campaign: string): string {
  return `${KEY_PREFIX}:campaign:${campaign}:first-failure`;
}

/** A hash of the failing seeds found so far: field = iteration index (a re-run range writes the same fields). */
export function failingSeedsKey(campaign: string): string {
  return `${KEY_PREFIX}:campaign:${campaign}:failing`;
}

/** The iteration-index ranges [from, to) of `seeds` seeds in chunks of `chunk`. */
export function chunkRanges(seeds: number, chunk: number): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  for (let from = 0; from < seeds; from += chunk) ranges.push({ from, to: Math.min(seeds, from + chunk) });
  return ranges;
}
