import type { SimRng } from '../kernel/rng.js';

export interface BuggifyOptions {
  /** Chance that a site, when first reached in an iteration, is active for the rest of it. */
  activationProbability?: number;
  /** Chance that an active site fires on a call (unless the call gives its own). */
  firingProbability?: number;
  enabled?: boolean;
}

/**
 * FoundationDB's BUGGIFY. Activating sites per iteration (rather than flipping a coin per call) lets
 * some iterations hammer a fault path while others leave it alone entirely.
 */
export class BuggifyState {
  /** When false, nothing fires and nothing is drawn from the generator. */
  enabled: boolean;
  readonly activationProbability: number;
  readonly firingProbability: number;
  private readonly sites = new Map<string, boolean>();

  constructor({
    activationProbability = 0.5,
    firingProbability = 0.25,
    enabled = true,
  }: BuggifyOptions = {}) {
    checkProbability('activationProbability', activationProbability);
    checkProbability('firingProbability', firingProbability);
    this.activationProbability = activationProbability;
    this.firingProbability = firingProbability;
    this.enabled = enabled;
  }

  /** A new iteration re-decides which sites are active. */
  beginIteration(): void {
    if (this.sites.size > 0) this.sites.clear();
  }

  /** Whether `site` was activated this iteration; `undefined` if not reached yet. */
  isActive(site: string): boolean | undefined {
    return this.sites.get(site);
  }

  /** One draw to activate a site on first reach; one more per call only while it is active. */
  fires(site: string, rng: SimRng, probability?: number): boolean {
    if (!this.enabled) return false;
    let active = this.sites.get(site);
    if (active === undefined) {
      active = rng.bool(this.activationProbability);
      this.sites.set(site, active);
    }
    return active && rng.bool(probability ?? this.firingProbability);
  }
}

function checkProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${p}`);
}
