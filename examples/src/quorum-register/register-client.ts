import {
  Alternatives,
  assertSometimes,
  AtMostOnce,
  Distance,
  FanOutError,
  type FanOutOptions,
  type FanOutTarget,
  fanOutQuorum,
  LoadBalanceError,
  loadBalance,
  MessagingError,
  type NetTransport,
  QueueModel,
  ReplyError,
  serviceClient,
} from 'moonpool';
import { compareVersions, majority, RegisterService, type Stored, type Version } from './register-service.js';

export interface RegisterClientOptions {
  /** This writer's id, part of every version it writes: unique among the writers working at once. */
  readonly writer: string;
  /**
   * Replies a read (and a write's version query) waits for. Default: a majority. With fewer, read
   * and write quorums may not share a replica: `quorum-register-buggy` reads from 2 of 5.
   */
  readonly readQuorum?: number;
  /** Acknowledgements a write (and a read's write-back) waits for. Default: a majority. */
  readonly writeQuorum?: number;
  /** Each call's time limit, ms. */
  readonly timeoutMs?: number;
  /** A call to a replica whose address has been failed this long gives up (`MaybeDelivered`), ms. */
  readonly unlessFailedForMs?: number;
  /**
   * How far each replica is (same order as the replicas), for `readOne`'s load balancing: closer
   * ones are preferred while any is available. Default: all `SameDc`.
   */
  readonly distances?: readonly Distance[];
  /** The queue model `readOne` shares with other clients of this process. Default: its own. */
  readonly model?: QueueModel;
  /**
   * BROKEN on purpose (a bug the tests show the simulator catching): a write call that ends in
   * `MaybeDelivered` counts as an acknowledgement. It is none: the replica may never have stored it.
   */
  readonly maybeDeliveredIsAck?: boolean;
}

const DEFAULT_TIMEOUT_MS = 2_000;
const DEFAULT_UNLESS_FAILED_FOR_MS = 300;

/**
 * Whether `error` is how a register operation may fail: no quorum (`FanOutError`), no replica
 * answering a `readOne` (its last `ReplyError` or `MessagingError`, or `LoadBalanceError`).
 * Anything else is a bug.
 */
export function isOperationFailure(
  error: unknown,
): error is FanOutError | LoadBalanceError | ReplyError | MessagingError {
  return (
    error instanceof FanOutError ||
    error instanceof LoadBalanceError ||
    error instanceof ReplyError ||
    error instanceof MessagingError
  );
}

/** Short names of how calls fail, for messages and counts. */
export function failureKind(error: unknown): string {
  if (isOperationFailure(error)) return error.kind;
  if (error instanceof Error) return error.name;
  return typeof error;
}

/**
 * A client of the replicated register (ABD, after Attiya, Bar-Noy and Dolev, with several writers):
 * - `write(value)` asks a read quorum for their versions, picks a version newer than all of them
 *   (and than any this writer used before), then has it stored by a write quorum;
 * - `read()` asks a read quorum and takes the newest pair; if the replies disagree it first writes
 *   that pair back to a write quorum (so no later read can see an older one), then returns it.
 * Both go through `fanOutQuorum`, in `getReplyUnlessFailedFor` mode: at least once (a write is
 * idempotent: a replica keeps the newest version), given up on a replica that stays unreachable.
 * Any two quorums must share a replica (read + write quorum > replicas) for the register to be
 * linearizable; the defaults are majorities.
 *
 * `readOne()` asks a single replica through `loadBalance` (the closest available, the least loaded
 * in the queue model; another one if it fails): cheaper, but possibly stale, since that replica may
 * have missed the newest writes. The same code runs in the simulation and in the real cluster.
 */
export class RegisterClient {
  private readonly readers: readonly FanOutTarget<Record<string, never>, Stored>[];
  private readonly writers: readonly FanOutTarget<Stored, { version: Version }>[];
  private readonly readOnes: Alternatives<Record<string, never>, Stored>;
  private readonly model: QueueModel;
  private readonly readQuorum: number;
  private readonly writeQuorum: number;
  private readonly fanOut: FanOutOptions;
  /** The newest counter this writer used: never used again, even if its write left no trace. */
  private lastCounter = 0;
  private readonly transport: NetTransport;

  constructor(
    transport: NetTransport,
    replicas: readonly string[],
    private readonly options: RegisterClientOptions,
  ) {
    const clients = replicas.map((address) => serviceClient(transport, RegisterService, address));
    this.readers = clients.map((client) => client.read);
    this.writers = clients.map((client) => client.write);
    this.readOnes = Alternatives.of(
      clients.map((client, i) => ({ target: client.read, distance: options.distances?.[i] ?? Distance.SameDc })),
    );
    this.model = options.model ?? new QueueModel(transport.providers.time);
    this.transport = transport;
    this.readQuorum = options.readQuorum ?? majority(replicas.length);
    this.writeQuorum = options.writeQuorum ?? majority(replicas.length);
    this.fanOut = {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      unlessFailedForMs: options.unlessFailedForMs ?? DEFAULT_UNLESS_FAILED_FOR_MS,
    };
  }

  get writer(): string {
    return this.options.writer;
  }

  /**
   * Writes `value`; resolves with its version once a write quorum stored it durably. `chose` is
   * called with the version before it is sent anywhere. A rejection (`FanOutError`) leaves the
   * outcome unknown once a version was chosen: some replicas may have stored it.
   */
  async write(value: string, chose: (version: Version) => void = () => {}): Promise<Version> {
    const replies = await this.readQuorumReplies();
    let counter = this.lastCounter;
    for (const { version } of replies) counter = Math.max(counter, version.counter);
    const version: Version = { counter: counter + 1, writer: this.options.writer };
    this.lastCounter = version.counter;
    chose(version);
    await this.store({ version, value });
    return version;
  }

  /** Reads the register: the newest pair a read quorum holds, written back first if they disagree. */
  async read(): Promise<Stored> {
    const replies = await this.readQuorumReplies();
    let newest = replies[0] as Stored;
    for (const reply of replies) if (compareVersions(reply.version, newest.version) > 0) newest = reply;
    const disagree = replies.some((r) => compareVersions(r.version, newest.version) !== 0);
    if (disagree) await this.store(newest);
    assertSometimes(disagree, 'register: a read wrote a newer value back to stale replicas');
    return newest;
  }

  /**
   * Reads one replica, chosen by `loadBalance` (`AtMostOnce.False`: a read may run twice; each
   * attempt gives up on a replica failed for `unlessFailedForMs`, and the next one is tried). May
   * return a stale value. Rejects with the last failure (or `LoadBalanceError`) when none answered.
   */
  readOne(): Promise<Stored> {
    const { timeoutMs, unlessFailedForMs } = this.fanOut;
    return loadBalance(this.transport, this.readOnes, {}, AtMostOnce.False, this.model, undefined, {
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(unlessFailedForMs === undefined ? {} : { unlessFailedForMs }),
    });
  }

  private async store(stored: Stored): Promise<void> {
    // The buggy variant makes up an acknowledgement out of a MaybeDelivered write.
    const fake = this.options.maybeDeliveredIsAck === true ? (request: Stored) => ({ version: request.version }) : null;
    await this.quorum(this.writers, stored, this.writeQuorum, fake);
  }

  private async readQuorumReplies(): Promise<Stored[]> {
    return this.quorum(this.readers, {}, this.readQuorum, null);
  }

  /** `fanOutQuorum` over every replica, watching how the calls end. */
  private async quorum<Req, Res>(
    targets: readonly FanOutTarget<Req, Res>[],
    request: Req,
    required: number,
    fake: ((request: Req) => Res) | null,
  ): Promise<Res[]> {
    const failures: string[] = [];
    const seen = (error: unknown): void => {
      failures.push(failureKind(error));
    };
    try {
      const replies = await fanOutQuorum(
        targets.map((target) => watched(target, seen, fake)),
        request,
        required,
        this.fanOut,
      );
      assertSometimes(failures.length > 0, 'register: a quorum was reached although a replica failed');
      return replies;
    } catch (error) {
      assertSometimes(error instanceof FanOutError && error.kind === 'QuorumNotMet', 'register: QuorumNotMet');
      throw error;
    } finally {
      assertSometimes(failures.includes('MaybeDelivered'), 'register: a replica call ended in MaybeDelivered');
    }
  }
}

/**
 * `target` with its failures reported to `seen` (except the fan-out's giving up of calls it no
 * longer needs); with `fake`, a `MaybeDelivered` becomes the reply `fake` makes (the bug).
 */
function watched<Req, Res>(
  target: FanOutTarget<Req, Res>,
  seen: (error: unknown) => void,
  fake: ((request: Req) => Res) | null,
): FanOutTarget<Req, Res> {
  const watch = (call: Promise<Res>, request: Req): Promise<Res> =>
    call.catch((error: unknown) => {
      if (!(error instanceof Error && error.name === 'AbortError')) seen(error);
      if (fake !== null && error instanceof ReplyError && error.kind === 'MaybeDelivered') return fake(request);
      throw error;
    });
  return {
    getReply: (request, options) => watch(target.getReply(request, options), request),
    tryGetReply: (request, options) => watch(target.tryGetReply(request, options), request),
    getReplyUnlessFailedFor: (request, ms, options) =>
      watch(target.getReplyUnlessFailedFor(request, ms, options), request),
  };
}
