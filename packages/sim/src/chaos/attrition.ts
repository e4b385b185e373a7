import type { FaultContext, FaultInjector } from './fault-injector.js';
import type { RebootKind } from './reboot.js';

/** Built-in process reboots during the chaos phase (Moonpool's `Attrition`). */
export interface Attrition {
  /** Never more than this many processes dead at once. */
  maxDead: number;
  /** Weights (normalised, need not sum to 1) of the three reboot kinds. */
  probGraceful: number;
  /** Weight of `Crash`: immediate kill, connections reset, no drain (>= 0). */
  probCrash: number;
  /** Weight of `CrashAndWipe`: a crash plus immediate deletion of the process's storage (>= 0). */
  probWipe: number;
  /** Delay before a killed process restarts, half-open range in ms (default 1000..10000). */
  recoveryDelayMs?: readonly [number, number];
  /** Time allowed for a graceful shutdown before force-kill, half-open range in ms (default 2000..5000). */
  gracePeriodMs?: readonly [number, number];
}

/** Pause between two attrition decisions, half-open range in ms (our choice; Moonpool does not fix it). */
export const ATTRITION_INTERVAL_MS: readonly [number, number] = [1000, 5000];

export function validateAttrition(a: Attrition): Attrition {
  if (!Number.isInteger(a.maxDead) || a.maxDead < 0) {
    throw new RangeError(`attrition.maxDead must be an integer >= 0, got ${a.maxDead}`);
  }
  for (const key of ['probGraceful', 'probCrash', 'probWipe'] as const) {
    if (!(a[key] >= 0) || !Number.isFinite(a[key])) {
      throw new RangeError(`attrition.${key} must be a finite weight >= 0, got ${a[key]}`);
    }
  }
  if (a.probGraceful + a.probCrash + a.probWipe <= 0) {
    throw new RangeError('attrition weights probGraceful + probCrash + probWipe must be > 0');
  }
  for (const key of ['recoveryDelayMs', 'gracePeriodMs'] as const) {
    const r = a[key];
    if (r !== undefined && !(Number.isSafeInteger(r[0]) && Number.isSafeInteger(r[1]) && r[0] >= 0 && r[1] > r[0])) {
      throw new RangeError(`attrition.${key} must be a range [min, max) of whole ms with 0 <= min < max`);
    }
  }
  return a;
}

/** Picks a reboot kind by the normalised weights. */
export function chooseRebootKind(a: Attrition, ratio: number): RebootKind {
  const total = a.probGraceful + a.probCrash + a.probWipe;
  const x = ratio * total;
  if (x < a.probGraceful) return 'Graceful';
  if (x < a.probGraceful + a.probCrash) return 'Crash';
  return 'CrashAndWipe';
}

/** Attrition as a fault injector: reboot a random live process every few seconds, within `maxDead`. */
export function attritionInjector(a: Attrition): FaultInjector {
  return {
    name: 'attrition',
    async inject(ctx: FaultContext): Promise<void> {
      const rng = ctx.random;
      const [lo, hi] = ATTRITION_INTERVAL_MS;
      while (!ctx.chaosShutdown.aborted) {
        await ctx.time.sleep(rng.randomRange(lo, hi), ctx.chaosShutdown).catch(() => {});
        if (ctx.chaosShutdown.aborted) return;
        // A process in its grace period is as good as down: counting it alive would exceed maxDead.
        const up = ctx.processIps.filter((ip) => ctx.isAlive(ip) && !ctx.isRebooting(ip));
        const dead = ctx.processIps.length - up.length;
        const alive = up;
        if (dead >= a.maxDead || alive.length === 0) continue;
        const ip = alive[rng.randomRange(0, alive.length)] as string;
        const kind = chooseRebootKind(a, rng.randomRatio());
        const range = (r: readonly [number, number] | undefined) =>
          r === undefined ? undefined : rng.randomRange(r[0], r[1]);
        ctx.reboot(ip, kind, {
          recoveryDelayMs: range(a.recoveryDelayMs),
          gracePeriodMs: kind === 'Graceful' ? range(a.gracePeriodMs) : undefined,
        });
      }
    },
  };
}
