import type { ChaosConfiguration } from '../config/chaos-configuration.js';
import type { DurationRange } from '../config/duration-range.js';
import type { SimRng } from '../kernel/rng.js';
import { msToTicks } from '../kernel/ticks.js';

/** Draws operation latencies in ticks, with the chaos configuration's tail-latency model. */
export class LatencySampler {
  constructor(
    private readonly rng: SimRng,
    private readonly chaos: ChaosConfiguration,
  ) {}

  sample(range: DurationRange): number {
    let ms = range.minMs + this.rng.random() * (range.maxMs - range.minMs);
    const c = this.chaos;
    if (c.latencyDistribution === 'Bimodal' && this.rng.random() < c.slowLatencyProbability) {
      ms *= c.slowLatencyMultiplier;
    }
    return msToTicks(ms);
  }
}
