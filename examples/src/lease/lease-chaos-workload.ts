import { assertAlways, assertSometimes, type SimContext, type Workload } from 'moonpool';
import { LEASE_TIMELINE, type LeaseEvent } from './lease-events.js';
import { leaseServices } from './lease-services.js';

/**
 * Drives the lease cluster: for `durationMs` of simulated time it reboots a random node every
 * 0.5–3 s, crashing it or shutting it down gracefully, then checks that a leader was ever elected.
 */
export class LeaseChaosWorkload implements Workload {
  readonly name = 'lease-chaos';

  constructor(private readonly durationMs: number = 20_000) {}

  async run(ctx: SimContext): Promise<void> {
    const { store } = leaseServices(ctx);
    const deadline = ctx.time.now() + this.durationMs;
    const ips = ctx.cluster.processIps;
    for (;;) {
      await ctx.time.sleep(ctx.random.randomRange(500, 3000));
      if (ctx.time.now() >= deadline) return;
      const ip = ips[ctx.random.randomRange(0, ips.length)];
      if (ip === undefined || !ctx.cluster.isAlive(ip)) continue;
      const kind = ctx.random.randomBool(0.5) ? 'Crash' : 'Graceful';
      const wasLeader = store.peek().holder === ip;
      assertSometimes(wasLeader, 'leader rebooted');
      ctx.emit<LeaseEvent>(LEASE_TIMELINE, { type: 'reboot', ip, kind, wasLeader });
      ctx.cluster.reboot(ip, kind, {
        gracePeriodMs: ctx.random.randomRange(200, 1000),
        recoveryDelayMs: ctx.random.randomRange(100, 2000),
      });
    }
  }

  async check(ctx: SimContext): Promise<void> {
    const { monitor } = leaseServices(ctx);
    const elections = ctx
      .eventLog<LeaseEvent>(LEASE_TIMELINE)
      .all()
      .filter((e) => e.event.type === 'elected').length;
    assertAlways(elections > 0 && monitor.termCount > 0, 'a leader was elected and acted');
  }
}
