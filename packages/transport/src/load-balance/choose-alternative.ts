import type { RandomProvider } from '@moonpool/core';
import type { FailureMonitor } from '../transport/failure-monitor.js';
import type { Alternatives } from './alternatives.js';
import type { QueueModel } from './queue-model.js';
import type { Tried } from './tried.js';

/** Ranks past every distance: an alternative known failed comes after every available one. */
const KNOWN_FAILED = 3;

/**
 * The alternative to try next among those not `tried` (-1: none left). Best first means, in order:
 * 1. available (not known failed by the monitor) before known failed;
 * 2. the closest distance: a farther tier only when no closer alternative is available;
 * 3. within a tier, the fewest smoothed requests out in `model` (a server never used counts 0);
 * 4. among equals, one drawn at random (from the transport's randomness: deterministic in
 *    simulation, where the draw is also one more choice for exploration to vary). Drawn only when
 *    there is a tie, so a single alternative costs no draw.
 */
export function chooseAlternative<Req, Res>(
  alternatives: Alternatives<Req, Res>,
  tried: Tried,
  model: QueueModel | null,
  monitor: FailureMonitor,
  random: RandomProvider,
  now: number,
): number {
  const n = alternatives.size;
  const keys = alternatives.keys;
  let best = -1;
  let bestRank = Number.POSITIVE_INFINITY;
  let bestLoad = Number.POSITIVE_INFINITY;
  let ties = 0;
  for (let i = 0; i < n; i++) {
    if (tried.has(i)) continue;
    const rank = alternatives.distanceAt(i) + (alternatives.isKnownFailed(i, monitor) ? KNOWN_FAILED : 0);
    if (rank > bestRank) continue;
    const load = model === null ? 0 : model.smoothedByKey(keys[i] as string, now);
    if (rank < bestRank || load < bestLoad) {
      best = i;
      bestRank = rank;
      bestLoad = load;
      ties = 1;
    } else if (load === bestLoad) {
      ties++;
    }
  }
  if (ties <= 1) return best;
  // The draw-th of the tied ones, in order (loads read again at the same instant are the same).
  let skip = random.randomRange(0, ties);
  for (let i = best; i < n; i++) {
    if (tried.has(i)) continue;
    const rank = alternatives.distanceAt(i) + (alternatives.isKnownFailed(i, monitor) ? KNOWN_FAILED : 0);
    if (rank !== bestRank) continue;
    const load = model === null ? 0 : model.smoothedByKey(keys[i] as string, now);
    if (load === bestLoad && skip-- === 0) return i;
  }
  return best;
}
