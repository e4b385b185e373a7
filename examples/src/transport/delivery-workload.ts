import {
  assertAlways,
  assertSometimes,
  MonitorConfig,
  NetTransport,
  PeerConfig,
  type SimContext,
  type Workload,
} from 'moonpool';
import { DeliveryChecker } from './delivery-checker.js';
import type { Outcome } from './delivery-events.js';
import { type Call, EchoClient, type Issued } from './echo-client.js';
import type { DeliveryMode, EchoOp, Via } from './echo-protocol.js';

/**
 * The client's peers: a fast local network's settings with small queues (so a burst overflows them)
 * and giving up after a few failed connections (so a long reboot ends reliable requests in
 * `ConnectionFailed`).
 */
export const CLIENT_PEER_CONFIG = PeerConfig.localNetwork({
  maxQueueSize: 16,
  maxConnectionFailures: 6,
  monitor: MonitorConfig.localNetwork(),
});

export interface DeliveryWorkloadOptions {
  /** Concurrent request loops of this client. */
  readonly lanes: number;
  /** How long the lanes issue requests (simulated ms). */
  readonly durationMs: number;
}

/** Share of each mode among single requests. */
const MODES: readonly [DeliveryMode, number][] = [
  ['send', 0.15],
  ['tryGetReply', 0.3],
  ['getReply', 0.3],
  ['getReplyUnlessFailedFor', 0.25],
];

/**
 * A client of the echo servers: `lanes` loops, each issuing one request at a time to a random server
 * in a random mode (a random op; a few ask the server to give them up), and now and then a burst of
 * concurrent requests to one server that overflows its peer's queues (`QueueFull`). At the end its
 * transport is closed; the check phase checks that every request of the iteration ended exactly once
 * and that every server answers again once chaos is over.
 */
export class DeliveryWorkload implements Workload {
  readonly name = 'rpc-client';

  constructor(private readonly options: DeliveryWorkloadOptions) {}

  async setup(ctx: SimContext): Promise<void> {
    DeliveryChecker.of(ctx);
  }

  async run(ctx: SimContext): Promise<void> {
    const transport = NetTransport.builder(ctx.providers).peerConfig(CLIENT_PEER_CONFIG).build();
    const client = new EchoClient(ctx, transport, `c${ctx.myIp}`);
    const deadline = ctx.time.now() + this.options.durationMs;
    const lanes = Array.from({ length: this.options.lanes }, (_, i) =>
      ctx.task.spawn(`lane ${i}`, () => this.lane(ctx, client, deadline)),
    );
    for (const lane of lanes) await lane.join();
    await transport.close();
  }

  /** Faults have stopped: each server must answer (within a timeout longer than its slowest handling). */
  async check(ctx: SimContext): Promise<void> {
    const transport = NetTransport.builder(ctx.providers).peerConfig(CLIENT_PEER_CONFIG).build();
    const client = new EchoClient(ctx, transport, `check${ctx.myIp}`);
    for (const server of ctx.topology.processIps) {
      const { outcome, detail } = await client.issue({
        server,
        mode: 'getReply',
        op: 'echo',
        abandon: false,
        via: 'stream',
        timeoutMs: 15_000,
      });
      assertAlways(outcome === 'reply', 'every server answers once chaos is over');
      if (outcome !== 'reply') throw new Error(`after chaos, ${server} did not answer: ${outcome} ${detail}`);
    }
    await transport.close();
    const unresolved = DeliveryChecker.of(ctx).unresolved();
    assertAlways(unresolved.length === 0, 'every request ended exactly once');
    if (unresolved.length > 0) throw new Error(`requests without exactly one outcome: ${unresolved.slice(0, 5).join('; ')}`);
  }

  private async lane(ctx: SimContext, client: EchoClient, deadline: number): Promise<void> {
    const { random, time } = ctx;
    const servers = ctx.topology.processIps;
    while (time.now() < deadline) {
      const server = servers[random.randomRange(0, servers.length)] as string;
      if (random.randomBool(0.03)) {
        await this.burst(ctx, client, server);
      } else {
        const mode = pickMode(random.random());
        const op: EchoOp = random.randomBool(0.4) ? 'increment' : 'echo';
        const abandon = mode !== 'send' && random.randomBool(0.03);
        const via: Via = random.randomBool(0.3) ? 'service' : 'stream';
        observe(mode, await client.issue({ server, mode, op, abandon, via }));
      }
      await time.sleep(random.randomRange(10, 100));
    }
  }

  /** 24 messages and 24 requests to one server at once: more than its peer's queues hold. */
  private async burst(ctx: SimContext, client: EchoClient, server: string): Promise<void> {
    const calls: Promise<Issued>[] = [];
    const modes: DeliveryMode[] = ['send', 'getReply'];
    for (const mode of modes) {
      for (let i = 0; i < 24; i++) {
        const op: EchoOp = ctx.random.randomBool(0.5) ? 'increment' : 'echo';
        const call: Call = { server, mode, op, abandon: false, via: 'stream' };
        calls.push(client.issue(call).then((issued) => (observe(mode, issued), issued)));
      }
    }
    const outcomes = await Promise.all(calls);
    assertSometimes(outcomes.some((o) => o.outcome === 'QueueFull'), 'rpc: QueueFull');
  }
}

function pickMode(roll: number): DeliveryMode {
  let acc = 0;
  for (const [mode, share] of MODES) {
    acc += share;
    if (roll < acc) return mode;
  }
  return 'getReplyUnlessFailedFor';
}

/** Coverage of the outcomes each mode can reach. */
function observe(mode: DeliveryMode, { outcome, reconnected }: Issued): void {
  const is = (o: Outcome): boolean => outcome === o;
  if (mode === 'send') return;
  assertSometimes(is('reply'), 'rpc: reply');
  assertSometimes(is('BrokenPromise'), 'rpc: BrokenPromise');
  assertSometimes(is('Timeout'), 'rpc: Timeout');
  if (mode === 'tryGetReply') assertSometimes(is('MaybeDelivered'), 'rpc: tryGetReply MaybeDelivered');
  assertSometimes(is('EndpointNotFound'), 'rpc: EndpointNotFound (service stopped)');
  if (mode === 'getReplyUnlessFailedFor') assertSometimes(is('MaybeDelivered'), 'rpc: getReplyUnlessFailedFor MaybeDelivered');
  if (mode !== 'tryGetReply') {
    assertSometimes(is('ConnectionFailed'), 'rpc: ConnectionFailed');
    assertSometimes(is('reply') && reconnected, 'rpc: reply after reconnect (resent)');
  }
}
