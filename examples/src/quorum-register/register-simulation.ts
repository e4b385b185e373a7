import {
  assertAlways,
  assertSometimes,
  assertSometimesEach,
  Distance,
  durationRange,
  NetTransport,
  type NetworkConfiguration,
  networkConfiguration,
  PeerConfig,
  type Process,
  type SimContext,
  SimulationBuilder,
  type StateHandle,
  storageConfiguration,
  type StorageConfiguration,
  type Workload,
} from 'moonpool';
import { RegisterClient, type RegisterClientOptions } from './register-client.js';
import { RegisterHistory } from './register-history.js';
import { runOp, runRegisterLoad } from './register-load.js';
import { compareVersions, formatVersion, INITIAL_VERSION, majority, REGISTER_PORT, type Stored } from './register-service.js';
import { startReplica } from './replica.js';

/** Replicas of the simulated cluster (the real one runs 3: the count is a parameter of the code). */
export const SIM_REPLICAS = 5;
/** Where the replicas are for `readOne`'s load balancing: two in the clients' data center. */
const REPLICA_DISTANCES = [Distance.SameDc, Distance.SameDc, Distance.Remote, Distance.Remote, Distance.Remote];

/** Length of the chaos phase: reboots and network faults happen during it. */
export const REGISTER_CHAOS_MS = 8_000;

const HISTORY_KEY = 'quorum-register:history';
const DURABLE_KEY = 'quorum-register:durable';

/**
 * Every network fault of SPEC §4.5, each striking several times an iteration: automatic partitions
 * and clogs (off by default), bit flips and random closes far more often than by default.
 */
export const REGISTER_NETWORK: NetworkConfiguration = networkConfiguration({
  chaos: {
    partitionProbability: 0.003,
    partitionDuration: { minMs: 200, maxMs: 2000 },
    clogProbability: 0.01,
    bitFlipProbability: 0.004,
    randomCloseProbability: 0.002,
    randomCloseCooldownMs: 500,
  },
});

/**
 * A slow-syncing disk that tears unsynced writes at power loss and sometimes fails a sync. Not
 * injected: wipes, and faults that corrupt or lose synced data (bit flips on read or write,
 * misdirected and phantom writes): a replica that loses what it acknowledged is a new, empty member,
 * which needs a reconfiguration protocol this example does not have.
 */
const REGISTER_DISK = storageConfiguration({
  syncLatency: durationRange(1, 8),
  crashFaultProbability: 0.5,
  syncFailureProbability: 0.01,
});

export interface RegisterSimulationOptions {
  /** The clients' register options (quorums, the MaybeDelivered bug). */
  readonly register?: Omit<RegisterClientOptions, 'writer'>;
  readonly network?: NetworkConfiguration;
  /** Operations running at once in each of the two clients. */
  readonly lanes?: number;
  /** The replicas' disk (default: slow syncs, torn writes at power loss, failing syncs). */
  readonly disk?: StorageConfiguration;
  /** Length of the chaos phase, ms (default `REGISTER_CHAOS_MS`); the clients go on 2 s past it. */
  readonly chaosMs?: number;
  /** Reboot replicas during the chaos phase (default true). */
  readonly attrition?: boolean;
}

/**
 * Five register replicas and two clients of two lanes each (every lane a writer of its own: writes,
 * quorum reads, and `readOne`s load-balanced over two close and three remote replicas) over a
 * chaotic network, with attrition crashing or stopping up to two replicas at a time (restarted from
 * their disks) during an 8 s chaos phase; the clients go on 2 s past it, then each reads once more
 * and must succeed. Checked after every simulation event: the clients' history is linearizable
 * (`RegisterHistory`), and the newest acknowledged write is held durably by a majority of replicas
 * (what they reported synced).
 */
export function registerSimulation(options: RegisterSimulationOptions = {}): SimulationBuilder {
  const builder = new SimulationBuilder()
    .setNetworkConfiguration(options.network ?? REGISTER_NETWORK)
    .setStorageConfiguration(options.disk ?? REGISTER_DISK)
    .processes(SIM_REPLICAS, () => new RegisterReplica())
    .workloads(2, () => new RegisterWorkload(options))
    .invariantFn('quorum register is linearizable and acknowledged writes are on a majority', checkRegister)
    .chaosDuration(options.chaosMs ?? REGISTER_CHAOS_MS);
  if (options.attrition === false) return builder;
  return builder.attrition({
    maxDead: 2,
    probGraceful: 1,
    probCrash: 2,
    probWipe: 0,
    recoveryDelayMs: [200, 3000],
    gracePeriodMs: [100, 1000],
  });
}

/** The invariant, after every event. */
function checkRegister(state: StateHandle): void {
  const history = state.get<RegisterHistory>(HISTORY_KEY);
  if (history === undefined) return;
  if (history.violation !== null) throw new Error(history.violation);
  const durable = state.get<Map<string, Stored>>(DURABLE_KEY);
  const acknowledged = history.newestAcknowledged;
  if (durable === undefined || compareVersions(acknowledged, INITIAL_VERSION) === 0) return;
  let holding = 0;
  for (const stored of durable.values()) if (compareVersions(stored.version, acknowledged) >= 0) holding++;
  if (holding < majority(SIM_REPLICAS)) {
    const held = [...durable].map(([ip, s]) => `${ip} ${formatVersion(s.version)}`).join(', ');
    throw new Error(
      `acknowledged write ${formatVersion(acknowledged)} is held durably by ${holding} of ${SIM_REPLICAS} replicas (${held})`,
    );
  }
}

/** What each replica reported durable, by IP (shared by the replicas and the checks). */
function durable(ctx: SimContext): Map<string, Stored> {
  let map = ctx.state.get<Map<string, Stored>>(DURABLE_KEY);
  if (map === undefined) ctx.state.publish(DURABLE_KEY, (map = new Map<string, Stored>()));
  return map;
}

/** A replica on a simulated machine: the code of the real cluster's replica processes. */
class RegisterReplica implements Process {
  readonly name = 'register-replica';

  async run(ctx: SimContext): Promise<void> {
    const reported = durable(ctx);
    const rebooted = reported.has(ctx.myIp);
    const replica = await startReplica(ctx.providers, {
      listenOn: `${ctx.myIp}:${REGISTER_PORT}`,
      onDurable: (stored) => reported.set(ctx.myIp, stored),
    });
    assertSometimes(
      rebooted && compareVersions(replica.stored.version, INITIAL_VERSION) > 0,
      'register: a replica restarted with the value it had stored',
    );
    if (!ctx.shutdown.aborted) {
      await new Promise<void>((resolve) => ctx.shutdown.addEventListener('abort', () => resolve(), { once: true }));
    }
    await replica.stop();
  }
}

/** A client of the register: two lanes during chaos and 2 s after it, then one last read. */
class RegisterWorkload implements Workload {
  readonly name = 'register-client';

  constructor(private readonly options: RegisterSimulationOptions) {}

  async setup(ctx: SimContext): Promise<void> {
    if (ctx.state.get(HISTORY_KEY) === undefined) ctx.state.publish(HISTORY_KEY, new RegisterHistory());
  }

  async run(ctx: SimContext): Promise<void> {
    const history = ctx.state.get<RegisterHistory>(HISTORY_KEY) as RegisterHistory;
    const replicas = ctx.topology.processIps.map((ip) => `${ip}:${REGISTER_PORT}`);
    const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
    const client = `c${ctx.clientId}`;
    const deadline = ctx.time.now() + (this.options.chaosMs ?? REGISTER_CHAOS_MS) + 2_000;
    try {
      await runRegisterLoad(ctx.providers, transport, {
        replicas,
        client,
        lanes: this.options.lanes ?? 2,
        keepGoing: () => ctx.time.now() < deadline,
        thinkMs: [0, 100],
        writeShare: 0.45,
        readOneShare: 0.15,
        history,
        onStart: (kind) => {
          if (kind !== 'read') return;
          // Replicas that have not stored the newest acknowledged write yet as a read begins: with
          // two of them, a read quorum of two could miss it (exploration branches on this).
          const newest = history.newestAcknowledged;
          let behind = 0;
          for (const s of durable(ctx).values()) if (compareVersions(s.version, newest) < 0) behind++;
          assertSometimesEach('register: replicas behind the newest acknowledged write as a read began', { behind });
        },
        register: { ...this.options.register, distances: REPLICA_DISTANCES },
      });
      // Chaos is over and every replica is back: a read must succeed (a few tries for stale connections).
      const last = new RegisterClient(transport, replicas, { ...this.options.register, writer: `${client}/last` });
      let ok = false;
      for (let attempt = 0; attempt < 5 && !ok; attempt++) {
        const outcome = await runOp(ctx.providers, last, 'read', '', { history });
        ok = outcome.failure === null;
      }
      assertAlways(ok, 'register: a read succeeds once chaos is over');
      assertAlways(history.violation === null, 'register: the history is linearizable');
    } finally {
      await transport.close();
    }
  }
}
