// Replicas for the fan-out tests: N servers of one typed service, each answering a request as a
// script says (reply, break its promise, or hold it forever, after some simulated time), and the
// client's side: one target per replica, and a check that a fan-out left nothing behind.
import assert from 'node:assert/strict';
import type { SimContext } from '@moonpool/sim';
import {
  defineService,
  type MethodClient,
  method,
  MonitorConfig,
  NetTransport,
  PeerConfig,
  serve,
  serviceClient,
} from '../../src/index.js';
import { forever, PORT, type Scenario, simulate } from './simulate.js';

export interface Call {
  readonly op: number;
}
export interface Answer {
  readonly replica: number;
  readonly op: number;
}

export const Replica = defineService({
  id: 0xfa40n,
  name: 'Replica',
  methods: { call: method<Call, Answer>() },
});

export type ReplicaClient = MethodClient<Call, Answer>;

/** What replica `replica` does with a request, `afterMs` after it arrived (default at once). */
export interface Step {
  readonly act: 'reply' | 'break' | 'hold';
  readonly afterMs?: number;
}

/** Each replica's step for each request (op 0, the warm-up, is always answered at once). */
export type Script = (replica: number, op: number) => Step;

/** Replies to everything at once. */
export const ANSWER: Script = () => ({ act: 'reply' });

/** Quick to notice a dead connection and to reconnect (as in the delivery-mode tests). */
export const CLIENT_CONFIG = PeerConfig.default({
  initialReconnectDelay: 50,
  maxReconnectDelay: 200,
  connectionTimeout: 300,
  monitor: MonitorConfig.default({ pingInterval: 100, pingTimeout: 200, maxToleratedTimeouts: 0 }),
});

/** A replica server following `script`; every request it receives is pushed on `seen` as `replica:op`. */
export function serveReplica(script: Script, seen: string[] = []) {
  return async (ctx: SimContext): Promise<void> => {
    const replica = ctx.topology.processIps.indexOf(ctx.myIp);
    const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
    await transport.listen(`${ctx.myIp}:${PORT}`);
    serve(transport, Replica, {
      call: async ({ op }) => {
        seen.push(`${replica}:${op}`);
        const step = op === 0 ? ANSWER(replica, op) : script(replica, op);
        if (step.afterMs !== undefined) await ctx.time.sleep(step.afterMs);
        if (step.act === 'break') throw new Error(`replica ${replica} breaks op ${op}`);
        if (step.act === 'hold') await forever();
        return { replica, op };
      },
    });
    await forever();
  };
}

export interface FanOutTest {
  readonly replicas: number;
  readonly script: Script;
  /** Every request the replicas received, as `replica:op` (the warm-up's op 0 left out). */
  readonly seen?: string[];
  readonly seeds?: readonly number[];
  /**
   * The client, once connected to every replica (each has answered op 0): `targets[i]` is replica
   * i's typed method client. Checked afterwards: nothing left behind, as by `assertClean`.
   */
  readonly client: (ctx: SimContext, targets: ReplicaClient[], transport: NetTransport) => Promise<void>;
  readonly configure?: Scenario['configure'];
}

/** Runs `test.client` against `test.replicas` scripted replicas in the simulator. */
export async function fanOutTest(test: FanOutTest): Promise<void> {
  const seen = test.seen ?? [];
  await simulate({
    servers: test.replicas,
    seeds: test.seeds ?? [1, 2],
    server: serveReplica(test.script, seen),
    configure: test.configure,
    client: async (ctx, ips) => {
      seen.length = 0;
      const transport = NetTransport.builder(ctx.providers).peerConfig(CLIENT_CONFIG).build();
      const targets = ips.map((ip) => serviceClient(transport, Replica, `${ip}:${PORT}`).call);
      await Promise.all(targets.map((t) => t.getReply({ op: 0 })));
      seen.splice(0, seen.length, ...seen.filter((s) => !s.endsWith(':0')));
      await test.client(ctx, targets, transport);
      assertClean(transport, targets);
      await transport.close();
    },
  });
}

/**
 * Nothing left behind by finished calls: no reply endpoint registered, no request kept for resending,
 * no wait in the failure monitor.
 */
export function assertClean(transport: NetTransport, targets: readonly ReplicaClient[]): void {
  assert.equal(transport.endpointCount, 0, 'reply endpoints left registered');
  for (const target of targets) {
    const address = target.endpoint.endpoint.address;
    assert.equal(transport.peer(address)?.metrics.reliableQueueDepth ?? 0, 0, `requests left queued for ${address.toString()}`);
  }
  assert.equal(transport.failureMonitor.waiting, 0, 'failure monitor waits left');
}

/** Simulated ms since `since`, rounded (latencies are microseconds). */
export function msSince(ctx: SimContext, since: number): number {
  return Math.round(ctx.time.now() - since);
}
