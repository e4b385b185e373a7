import {
  Alternatives,
  assertAlways,
  assertSometimes,
  AtMostOnce,
  type Distance,
  LoadBalanceConfig,
  LoadBalanceError,
  loadBalance,
  MessagingError,
  type MethodClient,
  MonitorConfig,
  NetTransport,
  PeerConfig,
  QueueModel,
  ReplyError,
  serviceClient,
  type SimContext,
  validateResponse,
  type Workload,
} from 'moonpool';
import { LoadBalanceChecker, type LoadBalanceCheckerOptions } from './lb-checker.js';
import { type CallOutcome, emitLb } from './lb-events.js';
import { distanceFrom, homeOf } from './lb-topology.js';
import { ObservedMethod } from './observed-method.js';
import { REPLICA_PORT, type ReplicaReply, ReplicaService } from './replica-protocol.js';

/** The load balancer's settings: the defaults (50 ms backoff, doubling, cap 1 s, 2 full cycles). */
export const LB_CONFIG = LoadBalanceConfig.default();
/**
 * Each attempt's timeout: longer than the health check takes to drop a partitioned connection
 * (1 s), so a partition ends an attempt in `MaybeDelivered` rather than `Timeout`.
 */
export const ATTEMPT_TIMEOUT_MS = 2500;
/** A read gives a replica up once its address has been failed this long (`getReplyUnlessFailedFor`). */
export const READ_FAILED_FOR_MS = 300;

/**
 * The client's peers: fast reconnects and a quick health check, and never giving up. The failure
 * monitor never probes: once a peer gave up, only a request sent to that replica would find it back,
 * and the load balancer sends there last, so a client would leave its closest replica for good after
 * one long partition.
 */
const CLIENT_PEER_CONFIG = PeerConfig.localNetwork({
  maxConnectionFailures: null,
  monitor: MonitorConfig.localNetwork(),
});

/**
 * The longest a call may take: each attempt ends by its timeout (plus a buggified delay of the
 * transport's timer), every alternative once per cycle, the backoff sleeps between cycles; twice
 * that when the (broken) client retries a whole call; plus a margin.
 */
export function checkerOptions(replicas: number): LoadBalanceCheckerOptions {
  const attemptMs = ATTEMPT_TIMEOUT_MS + 300;
  const backoffMs = (LB_CONFIG.maxFullCycles - 1) * (LB_CONFIG.maxBackoffMs + 300);
  const callMs = replicas * LB_CONFIG.maxFullCycles * attemptMs + backoffMs;
  return { maxCallMs: 2 * callMs + 1000, maxFullCycles: LB_CONFIG.maxFullCycles };
}

export interface LoadBalanceClientOptions {
  /** The replica whose machine (and data centre) the client runs on. */
  readonly home: number;
  /** Concurrent call loops sharing the client's transport and queue model. */
  readonly lanes: number;
  /** How long the lanes make calls (simulated ms). */
  readonly durationMs: number;
  /**
   * THE BUG of the broken variant: an increment (`AtMostOnce.True`) that ends in `MaybeDelivered`
   * is load-balanced once more with the same request id, "in case it never arrived". It may have.
   */
  readonly retryMaybeDelivered: boolean;
}

type Reader = MethodClient<{ id: string }, ReplicaReply>;

/**
 * A client of the five replicas: `lanes` loops, each making one call at a time through
 * `loadBalance` — reads (`AtMostOnce.False`, each attempt a `getReplyUnlessFailedFor`) and
 * increments (`AtMostOnce.True`) — with one `QueueModel` for the client. Distances come from the
 * topology's tags relative to the client's home machine. Every call is logged (start, each attempt
 * with what the failure monitor said at that instant, end) for the `LoadBalanceChecker`.
 */
export class LoadBalanceClient implements Workload {
  readonly name = 'lb-client';

  constructor(private readonly options: LoadBalanceClientOptions) {}

  async setup(ctx: SimContext): Promise<void> {
    LoadBalanceChecker.of(ctx, checkerOptions(ctx.topology.processIps.length));
  }

  async run(ctx: SimContext): Promise<void> {
    const transport = NetTransport.builder(ctx.providers).peerConfig(CLIENT_PEER_CONFIG).build();
    const calls = new ClientCalls(ctx, transport, `c${ctx.myIp}`, this.options);
    const deadline = ctx.time.now() + this.options.durationMs;
    const lanes = Array.from({ length: this.options.lanes }, (_, i) =>
      ctx.task.spawn(`lane ${i}`, async () => {
        while (ctx.time.now() < deadline) {
          await calls.call(ctx.random.randomBool(0.4) ? 'increment' : 'read');
          await ctx.time.sleep(ctx.random.randomRange(10, 100));
        }
      }),
    );
    for (const lane of lanes) await lane.join();
    await transport.close();
  }

  async check(ctx: SimContext): Promise<void> {
    const checker = LoadBalanceChecker.of(ctx, checkerOptions(ctx.topology.processIps.length));
    const open = checker.open(ctx.time.now());
    assertAlways(open.length === 0, 'lb: every call ended in a reply or an error');
    if (open.length > 0) throw new Error(`calls that never ended: ${open.slice(0, 5).join(', ')}`);
  }
}

/** One client's alternatives, model and calls. */
class ClientCalls {
  private readonly reads: Alternatives<{ id: string }, ReplicaReply>;
  private readonly increments: Alternatives<{ id: string }, ReplicaReply>;
  private readonly model: QueueModel;
  private readonly distance = new Map<string, Distance>();
  /** Per call in progress: the replicas its current `loadBalance` sent it to, in order. */
  private readonly attempts = new Map<string, string[]>();
  private issued = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly transport: NetTransport,
    private readonly name: string,
    private readonly options: LoadBalanceClientOptions,
  ) {
    const { topology } = ctx;
    const home = homeOf(options.home);
    const servers = topology.processIps;
    for (const ip of servers) this.distance.set(ip, distanceFrom(home, topology.tagsOf(ip)));
    emitLb(ctx, { type: 'alternatives', client: name, servers: [...this.distance] });
    const monitor = transport.failureMonitor;
    const addresses = servers.map((ip) => [ip, `${ip}:${REPLICA_PORT}`] as const);
    const observer = (server: string) => (request: { id: string }) => {
      const failed = addresses.filter(([, address]) => monitor.isAddressKnownFailed(address)).map(([ip]) => ip);
      emitLb(ctx, { type: 'attempt', id: request.id, server, failed });
      this.attempts.get(request.id)?.push(server);
    };
    const alternatives = (method: 'read' | 'increment'): Alternatives<{ id: string }, ReplicaReply> =>
      Alternatives.of(
        servers.map((ip) => {
          const base: Reader = serviceClient(transport, ReplicaService, `${ip}:${REPLICA_PORT}`)[method];
          const check = (value: unknown): Promise<ReplicaReply> => validateResponse(ReplicaService, method, value);
          return { target: new ObservedMethod(base, check, observer(ip)), distance: this.distance.get(ip) as Distance };
        }),
      );
    this.reads = alternatives('read');
    this.increments = alternatives('increment');
    this.model = new QueueModel(transport.providers.time);
  }

  async call(op: 'read' | 'increment'): Promise<void> {
    const { ctx } = this;
    const id = `${this.name}.${++this.issued}`;
    const atMostOnce = op === 'increment';
    emitLb(ctx, { type: 'call', id, client: this.name, atMostOnce });
    const first: string[] = [];
    this.attempts.set(id, first);
    let outcome: CallOutcome = 'reply';
    let detail = '';
    let reply: ReplicaReply | null = null;
    try {
      reply = atMostOnce ? await this.increment(id) : await this.read(id);
    } catch (err) {
      outcome = classify(err);
      detail = err instanceof Error ? err.message : String(err);
    }
    this.attempts.delete(id);
    emitLb(ctx, {
      type: 'end',
      id,
      outcome,
      ...(reply === null ? {} : { server: reply.server, boot: reply.boot }),
      detail,
    });
    // Coverage: what the invariants are meant to see happen.
    const farther = reply !== null && (this.distance.get(reply.server) ?? 0) > 0;
    assertSometimes(farther, 'lb: fell back to a farther tier');
    assertSometimes(reply !== null && this.distance.get(reply.server) === 2, 'lb: answered by a remote replica');
    // A replica sent to twice by one loadBalance, or every alternative failed in every cycle: a
    // second cycle ran, after a backoff.
    const secondCycle = new Set(first).size < first.length || outcome === 'AllAlternativesFailed';
    assertSometimes(secondCycle, 'lb: a backoff and a second cycle');
    if (atMostOnce) assertSometimes(outcome === 'MaybeDelivered', 'lb: AtMostOnce.True returned MaybeDelivered');
  }

  private read(id: string): Promise<ReplicaReply> {
    return loadBalance(this.transport, this.reads, { id }, AtMostOnce.False, this.model, LB_CONFIG, {
      timeoutMs: ATTEMPT_TIMEOUT_MS,
      unlessFailedForMs: READ_FAILED_FOR_MS,
    });
  }

  private async increment(id: string): Promise<ReplicaReply> {
    const request = { id };
    const options = { timeoutMs: ATTEMPT_TIMEOUT_MS };
    try {
      return await this.incrementOnce(request, options);
    } catch (err) {
      const maybe = err instanceof ReplyError && err.kind === 'MaybeDelivered';
      if (!this.options.retryMaybeDelivered || !maybe) throw err;
      // The broken variant: the increment may have run, and is sent again.
      this.attempts.set(id, []);
      return await this.incrementOnce(request, options);
    }
  }

  private incrementOnce(request: { id: string }, options: { timeoutMs: number }): Promise<ReplicaReply> {
    return loadBalance(this.transport, this.increments, request, AtMostOnce.True, this.model, LB_CONFIG, options);
  }
}

function classify(err: unknown): CallOutcome {
  if (err instanceof ReplyError) return err.kind;
  if (err instanceof LoadBalanceError && err.kind === 'AllAlternativesFailed') return 'AllAlternativesFailed';
  if (err instanceof MessagingError && (err.kind === 'QueueFull' || err.kind === 'ConnectionFailed')) return err.kind;
  return 'Other';
}
