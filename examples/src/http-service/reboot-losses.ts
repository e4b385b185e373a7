import { FAULT_LOG, type FaultEvent, type SimContext } from 'moonpool';
import type { WriteRecord } from './register-history.js';

/**
 * The times the server at `ip` lost its in-memory store, read from the simulator's fault timeline,
 * as null writes: each loss happened between the start of a shutdown (graceful or a crash) and the
 * restart that followed it. A shutdown without a restart yet is a loss in progress.
 */
export function rebootLosses(ctx: SimContext, ip: string): WriteRecord[] {
  const losses: WriteRecord[] = [];
  let down: number | null = null;
  for (const { event, timeMs } of ctx.eventLog<FaultEvent>(FAULT_LOG).all()) {
    if (!('ip' in event) || event.ip !== ip) continue;
    if (event.type === 'ProcessGracefulShutdown' || event.type === 'ProcessForceKill') {
      down ??= timeMs;
    } else if (event.type === 'ProcessRestart' && down !== null) {
      losses.push({ value: null, invokedAt: down, appliedBy: timeMs, lastApplyBy: timeMs });
      down = null;
    }
  }
  if (down !== null) losses.push({ value: null, invokedAt: down, appliedBy: Infinity, lastApplyBy: Infinity });
  return losses;
}
