/** What decides a campaign's results besides the simulation's code: every range job carries it. */
export interface CampaignSettings {
  /** The simulation's name (as `moonpool sim list` shows it). */
  simulation: string;
  /** The moonpool version that started the campaign: workers of another version refuse its jobs. */
  version: string;
  /** The configuration fingerprint of the whole run (see range-run.ts): workers recompute and compare it. */
  fingerprint: string;
  /** Seeds in all: the campaign runs iteration indices [0, seeds). */
  seeds: number;
  /** Decimal, or null for the simulation's own base seed. */
  baseSeed: string | null;
  checkDeterminism: boolean;
  /** The watchdog's limit for one iteration in the worker (0: off). */
  stallTimeoutSeconds: number;
}

/** The parent (merge) job's data: the campaign as started. */
export interface CampaignSpec extends CampaignSettings {
  format: typeof CAMPAIGN_FORMAT;
  id: string;
  chunk: number;
  /** The simulation demonstrates a bug: the campaign passes when a seed fails (as `sim run` judges it). */
  expectFailure: boolean;
  /** When it was started (ms since the epoch): seeds/s are counted from here. */
  createdAt: number;
}

/** A seed-range job's data: run iteration indices [from, to) of the campaign's run. */
export interface RangeJobData extends CampaignSettings {
  format: typeof RANGE_FORMAT;
  campaign: string;
  from: number;
  to: number;
}

export const CAMPAIGN_FORMAT = 'moonpool-campaign/1';
export const RANGE_FORMAT = 'moonpool-range/1';

/** A job the worker refuses to run; its message says why (the job fails with it, never retried). */
export class RejectedPayload extends Error {
  override readonly name = 'RejectedPayload';
}

/**
 * Checks the shape of a range job's data (anything could have been queued by anyone with access to
 * Redis): types, a range 0 <= from < to <= seeds. Throws RejectedPayload naming the first problem.
 */
export function parseRangeJob(data: unknown): RangeJobData {
  if (typeof data !== 'object' || data === null) throw new RejectedPayload('the job data is not an object');
  const d = data as Record<string, unknown>;
  if (d.format !== RANGE_FORMAT) {
    throw new RejectedPayload(`unknown job format ${JSON.stringify(d.format)} (this worker reads ${RANGE_FORMAT})`);
  }
  const text = (key: string): string => {
    const v = d[key];
    if (typeof v !== 'string' || v === '') throw new RejectedPayload(`'${key}' must be a non-empty string`);
    return v;
  };
  const count = (key: string, min: number): number => {
    const v = d[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      throw new RejectedPayload(`'${key}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const seeds = count('seeds', 1);
  const from = count('from', 0);
  const to = count('to', 1);
  if (!(from < to && to <= seeds)) {
    throw new RejectedPayload(`the seed range ${from}:${to} is not within the campaign's 0:${seeds} (0 <= from < to <= seeds)`);
  }
  const baseSeed = d.baseSeed;
  if (baseSeed !== null && (typeof baseSeed !== 'string' || !/^[0-9]+$/.test(baseSeed) || BigInt(baseSeed) >= 1n << 64n)) {
    throw new RejectedPayload('\'baseSeed\' must be null or an unsigned 64-bit decimal string');
  }
  if (typeof d.checkDeterminism !== 'boolean') throw new RejectedPayload('\'checkDeterminism\' must be a boolean');
  const stall = d.stallTimeoutSeconds;
  if (typeof stall !== 'number' || !Number.isFinite(stall) || stall < 0) {
    throw new RejectedPayload('\'stallTimeoutSeconds\' must be a number >= 0');
  }
  return {
    format: RANGE_FORMAT,
    campaign: text('campaign'),
    simulation: text('simulation'),
    version: text('version'),
    fingerprint: text('fingerprint'),
    seeds,
    from,
    to,
    baseSeed,
    checkDeterminism: d.checkDeterminism,
    stallTimeoutSeconds: stall,
  };
}
