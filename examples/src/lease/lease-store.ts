import { buggifyWithProb, type SimContext } from 'moonpool';

/** Chance that a hop hits the service's tail latency (a GC pause, a slow disk): +200–1500 ms. */
const SLOW_HOP_PROBABILITY = 0.01;
/** Firing chance of the stall buggify site: +0.5–2.5 s, as if cut off from the service. */
const STALL_PROBABILITY = 0.05;

/** The lease as the coordination service stores it. */
export interface LeaseRecord {
  /** IP of the node holding the lease, or null when free. */
  readonly holder: string | null;
  /** Expiry time, written with the holder's own clock (`timer()`). */
  readonly until: number;
  /** Bumped by every successful write: what compare-and-set compares. */
  readonly version: number;
  /** Term number: bumped whenever a different node takes the lease. */
  readonly epoch: number;
}

const FREE: LeaseRecord = { holder: null, until: 0, version: 0, epoch: 0 };

/**
 * An in-memory stand-in for a coordination service (etcd, ZooKeeper, a database row): one record
 * with linearizable read and compare-and-set. Every request and every reply takes a simulated
 * network hop of 1–5 ms; 1% of hops are slow (+200–1500 ms), and in iterations where the buggify
 * site `lease.store.stall` is active 5% of hops stall for 0.5–2.5 s, like a node briefly cut off
 * from the service. A node that dies mid-request loses the request or the reply.
 */
export class LeaseStore {
  private record: LeaseRecord = FREE;

  /** The record right now, without latency: for checkers, never for the nodes themselves. */
  peek(): LeaseRecord {
    return this.record;
  }

  async read(ctx: SimContext): Promise<LeaseRecord> {
    await hop(ctx);
    const record = this.record;
    await hop(ctx);
    return record;
  }

  /** Writes `holder` until `until` if the record is still at `expectedVersion`; null if it moved on. */
  async compareAndSet(
    ctx: SimContext,
    expectedVersion: number,
    holder: string,
    until: number,
  ): Promise<LeaseRecord | null> {
    await hop(ctx);
    const current = this.record;
    let written: LeaseRecord | null = null;
    if (current.version === expectedVersion) {
      const epoch = current.holder === holder ? current.epoch : current.epoch + 1;
      written = { holder, until, version: current.version + 1, epoch };
      this.record = written;
    }
    await hop(ctx);
    return written;
  }

  /** Frees the lease if `holder` still has it. */
  async release(ctx: SimContext, holder: string): Promise<void> {
    await hop(ctx);
    const current = this.record;
    if (current.holder === holder) {
      this.record = { holder: null, until: 0, version: current.version + 1, epoch: current.epoch };
    }
    await hop(ctx);
  }
}

function hop(ctx: SimContext): Promise<void> {
  let ms = ctx.random.randomRangeFloat(1, 5);
  if (ctx.random.randomBool(SLOW_HOP_PROBABILITY)) ms += ctx.random.randomRangeFloat(200, 1500);
  if (buggifyWithProb('lease.store.stall', STALL_PROBABILITY))
    ms += ctx.random.randomRangeFloat(500, 2500);
  return ctx.time.sleep(ms);
}
