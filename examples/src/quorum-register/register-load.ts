import { type NetTransport, type Providers, QueueModel } from 'moonpool';
import { failureKind, isOperationFailure, RegisterClient, type RegisterClientOptions } from './register-client.js';
import type { Op, OpKind, RegisterHistory } from './register-history.js';
import { formatVersion, type Version } from './register-service.js';

/** What one operation gave, as the load reports it (`onOp`). */
export interface OpOutcome {
  readonly id: number;
  readonly kind: OpKind;
  readonly client: string;
  /** `providers.time.now()` when it began and ended. */
  readonly startedMs: number;
  readonly endedMs: number;
  /** The version written or read; null when it failed. */
  readonly version: Version | null;
  /** How it failed (`QuorumNotMet`, `Timeout`...), or null. */
  readonly failure: string | null;
}

export interface RegisterLoadOptions {
  /** The replicas' `ip:port`s. */
  readonly replicas: readonly string[];
  /** This client's name; lane `i` writes as `<client>/<i>`. */
  readonly client: string;
  /** Operations running at once, one after another in each lane. */
  readonly lanes: number;
  /** Asked before each operation: false ends the lane. */
  readonly keepGoing: () => boolean;
  /** Pause after each operation, a half-open range in ms. */
  readonly thinkMs: readonly [number, number];
  /** Share of writes among operations. */
  readonly writeShare: number;
  /** Share of `readOne`s (one replica, load-balanced); the rest are quorum reads. */
  readonly readOneShare?: number;
  /** Options of every lane's `RegisterClient` (the writer id is the lane's; one queue model for all). */
  readonly register?: Omit<RegisterClientOptions, 'writer'>;
  readonly history: RegisterHistory;
  /** Called as each operation begins, and with its outcome as it ends. */
  readonly onStart?: (kind: OpKind) => void;
  readonly onOp?: (outcome: OpOutcome) => void;
}

/**
 * The register's workload, the same in the simulation and in the real cluster's client: `lanes`
 * loops over one transport, each a `RegisterClient` of its own (its own writer id; one queue model
 * for all), writing unique values (`<writer>#<n>`), reading through quorums and reading one replica
 * through load balancing, every operation recorded in `history` (which checks them). An operation
 * that fails as an operation may (`isOperationFailure`: no quorum, no replica, a timeout) is counted
 * and the lane goes on; anything else is a bug and is thrown.
 */
export async function runRegisterLoad(
  providers: Providers,
  transport: NetTransport,
  options: RegisterLoadOptions,
): Promise<void> {
  const { random, task } = providers;
  const model = options.register?.model ?? new QueueModel(providers.time);
  const readOneShare = options.readOneShare ?? 0;
  const lanes = Array.from({ length: options.lanes }, (_, i) =>
    task.spawn(`register lane ${i}`, async () => {
      const writer = `${options.client}/${i}`;
      const client = new RegisterClient(transport, options.replicas, { ...options.register, model, writer });
      let written = 0;
      while (options.keepGoing()) {
        const roll = random.random();
        const kind: OpKind =
          roll < options.writeShare ? 'write' : roll < options.writeShare + readOneShare ? 'readOne' : 'read';
        await runOp(providers, client, kind, kind === 'write' ? `${writer}#${++written}` : '', options);
        const [lo, hi] = options.thinkMs;
        if (hi > 0) await providers.time.sleep(random.randomRange(lo, hi));
      }
    }),
  );
  for (const lane of lanes) await lane.join();
}

/** One operation on the register, recorded in the history. */
export async function runOp(
  providers: Providers,
  client: RegisterClient,
  kind: OpKind,
  value: string,
  options: Pick<RegisterLoadOptions, 'history' | 'onStart' | 'onOp'>,
): Promise<OpOutcome> {
  const { history } = options;
  options.onStart?.(kind);
  const op: Op = history.begin(kind, client.writer);
  const startedMs = providers.time.now();
  let version: Version | null = null;
  let failure: string | null = null;
  try {
    if (kind === 'write') {
      version = await client.write(value, (chosen) => history.chose(op, chosen, value));
      history.acknowledge(op);
    } else {
      const stored = await (kind === 'read' ? client.read() : client.readOne());
      history.returned(op, stored);
      version = stored.version;
    }
  } catch (error) {
    if (!isOperationFailure(error)) throw error;
    history.failed(op);
    failure = failureKind(error);
  }
  const endedMs = providers.time.now();
  const outcome: OpOutcome = { id: op.id, kind, client: client.writer, startedMs, endedMs, version, failure };
  options.onOp?.(outcome);
  return outcome;
}

/** `write #12 by c1/0: 7.c1/0 (3 ms)` or `read #13 by c1/1 failed: QuorumNotMet (2001 ms)`. */
export function describeOutcome(o: OpOutcome): string {
  const took = `(${Math.round(o.endedMs - o.startedMs)} ms)`;
  const what = `${o.kind} #${o.id} by ${o.client}`;
  if (o.failure !== null) return `${what} failed: ${o.failure} ${took}`;
  return `${what}: ${formatVersion(o.version as Version)} ${took}`;
}
