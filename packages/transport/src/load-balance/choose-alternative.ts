import type { RandomProvider } from '@moonpool/core';
import type { FailureMonitor } from '../transport/failure-monitor.js';
import type { Alternatives } from './alternatives.js';
import type { QueueModel } from './queue-model.js';
import { wasTried } from './tried.js';

/** Ranks past every distance: an alternative known failed comes after every available one. */
const KNOWN_FAILED = 3;

/**
 * The alternative to try next among those not tried yet (`triedLow`, `triedBeyond`: see tried.ts);
 * -1 when none is left. Best first means, in order:
 * 1. available (not known failed by the monitor) before known failed;
 * 2. the closest distance: a farther tier only when no closer alternative is available;
 * 3. within a tier, the fewest smoothed requests out in `model` (a server never used counts 0);
 * 4. among equals, one drawn at random (from the transport's randomness: deterministic in
 *    simulation, where the draw is also one more choice for exploration to vary). Drawn only when
 *    there is a tie, so a single alternative costs no draw.
 * The loads are read only when the best rank has several alternatives (a tier of one needs none).
 */
export function chooseAlternative<Req, Res>(
  alternatives: Alternatives<Req, Res>,
  triedLow: number,
  triedBeyond: Uint8Array | null,
  model: QueueModel | null,
  monitor: FailureMonitor,
  random: RandomProvider,
): number {
  const n = alternatives.size;
  // First pass: the best rank, and how many untried alternatives have it.
  let first = -1;
  let bestRank = Number.POSITIVE_INFINITY;
  let candidates = 0;
  for (let i = 0; i < n; i++) {
    if (wasTried(i, triedLow, triedBeyond)) continue;
    const rank = alternatives.distanceAt(i) + (alternatives.isKnownFailed(i, monitor) ? KNOWN_FAILED : 0);
    if (rank < bestRank) {
      first = i;
      bestRank = rank;
      candidates = 1;
    } else if (rank === bestRank) {
      candidates++;
    }
  }
  if (candidates <= 1) return first;
  // Second pass, among those of the best rank: the lowest load, and how many share it.
  const keys = alternatives.keys;
  const now = model === null ? 0 : model.time.now();
  let best = first;
  let bestLoad = Number.POSITIVE_INFINITY;
  let ties = 0;
  for (let i = first; i < n; i++) {
    if (!isCandidate(alternatives, i, bestRank, triedLow, triedBeyond, monitor)) continue;
    const load = model === null ? 0 : model.smoothedByKey(keys[i] as string, now);
    if (load < bestLoad) {
      best = i;
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
    if (!isCandidate(alternatives, i, bestRank, triedLow, triedBeyond, monitor)) continue;
    const load = model === null ? 0 : model.smoothedByKey(keys[i] as string, now);
    if (load === bestLoad && skip-- === 0) return i;
  }
  return best;
}

function isCandidate<Req, Res>(
  alternatives: Alternatives<Req, Res>,
  i: number,
  rank: number,
  triedLow: number,
  triedBeyond: Uint8Array | null,
  monitor: FailureMonitor,
): boolean {
  if (wasTried(i, triedLow, triedBeyond)) return false;
  return alternatives.distanceAt(i) + (alternatives.isKnownFailed(i, monitor) ? KNOWN_FAILED : 0) === rank;
}
