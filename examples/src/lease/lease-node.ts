import { assertSometimes, type Process, type SimContext } from 'moonpool';
import type { LeadershipMonitor } from './leadership-monitor.js';
import type { LeaseConfig } from './lease-config.js';
import { LEASE_TIMELINE, type LeaseEvent } from './lease-events.js';
import { leaseServices } from './lease-services.js';
import type { LeaseStore } from './lease-store.js';

/** A lease this node holds: valid while its own clock reads less than `validUntil`. */
interface HeldLease {
  readonly epoch: number;
  readonly validUntil: number;
}

/**
 * A node competing for the leader lease. It reads the lease; when the lease is free, its own, or
 * expired by its clock, it writes itself in with compare-and-set, stamping the expiry with its own
 * clock (`timer()`, which drifts); otherwise it sleeps until the lease should run out. The holder
 * renews every heartbeat. Leader duties run only while the node believes its lease is valid, judged
 * with its clock minus the safety margin. All memory is lost on reboot.
 */
export class LeaseNode implements Process {
  readonly name = 'lease-node';
  private lease: HeldLease | null = null;

  constructor(private readonly config: LeaseConfig) {}

  async run(ctx: SimContext): Promise<void> {
    const { store, monitor } = leaseServices(ctx);
    ctx.shutdown.addEventListener(
      'abort',
      () => {
        this.lease = null;
      },
      { once: true },
    );
    ctx.task.spawn('duties', () => this.duties(ctx, monitor));
    while (!ctx.shutdown.aborted) {
      const wait = await this.campaign(ctx, store, monitor);
      if (!(await pause(ctx, wait))) break;
    }
    // Graceful shutdown: the abort already stopped the duties; hand the lease back.
    await store.release(ctx, ctx.myIp);
  }

  /** One look at the lease: take it or renew it when allowed. Returns when to look again (ms). */
  private async campaign(
    ctx: SimContext,
    store: LeaseStore,
    monitor: LeadershipMonitor,
  ): Promise<number> {
    const { ttlMs, heartbeatMs, retryMs, safetyMarginMs } = this.config;
    const me = ctx.myIp;
    const record = await store.read(ctx);
    if (record.holder !== me) this.lease = null;
    const sentAt = ctx.time.timer();
    const takeover = record.holder !== null && record.holder !== me;
    // Another node's lease: come back when it runs out by this node's clock.
    if (takeover && sentAt < record.until) return record.until - sentAt;
    const granted = await store.compareAndSet(ctx, record.version, me, sentAt + ttlMs);
    if (granted === null) {
      this.lease = null;
      return retryMs;
    }
    if (ctx.shutdown.aborted) return 0;
    // Measured from before the request: the store's expiry can only be later than this.
    this.lease = { epoch: granted.epoch, validUntil: sentAt + ttlMs - safetyMarginMs };
    if (granted.epoch !== record.epoch) {
      assertSometimes(true, 'leader elected');
      if (takeover) assertSometimes(true, 'lease expired and taken over');
      ctx.emit<LeaseEvent>(LEASE_TIMELINE, { type: 'elected', holder: me, epoch: granted.epoch });
      // A new leader starts its duties at once.
      this.act(ctx, monitor);
    }
    return heartbeatMs;
  }

  /** The leader's work, every `dutyMs`. */
  private async duties(ctx: SimContext, monitor: LeadershipMonitor): Promise<void> {
    while (await pause(ctx, this.config.dutyMs)) this.act(ctx, monitor);
  }

  /** One unit of leader work, done only while the lease is valid by this node's clock. */
  private act(ctx: SimContext, monitor: LeadershipMonitor): void {
    const lease = this.lease;
    if (lease !== null && ctx.time.timer() < lease.validUntil) {
      monitor.recordAction(ctx.myIp, lease.epoch, ctx.time.now());
    }
  }
}

/** Sleeps `ms`; false if the node is asked to shut down first. */
async function pause(ctx: SimContext, ms: number): Promise<boolean> {
  try {
    await ctx.time.sleep(ms, ctx.shutdown);
    return true;
  } catch {
    return false;
  }
}
