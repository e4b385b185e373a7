import type { EventLog, EventLogEntry, SimContext, StateHandle } from 'moonpool';
import { DELIVERY_MODES, type DeliveryMode, type EchoOp, type Via } from './echo-protocol.js';
import {
  CORRUPT_LOG,
  type CorruptDelivery,
  DELIVERY_LOGS,
  type DeliveryEvent,
  type Outcome,
  SERVICE_LOG,
  type ServiceStopped,
} from './delivery-events.js';

/** What each mode may end in (SPEC §6.5); `QueueFull` means the request was never sent. */
const ALLOWED: Readonly<Record<DeliveryMode, ReadonlySet<Outcome>>> = {
  send: new Set(['queued', 'QueueFull']),
  tryGetReply: new Set(['reply', 'MaybeDelivered', 'BrokenPromise', 'Timeout', 'QueueFull', 'EndpointNotFound']),
  getReply: new Set(['reply', 'Timeout', 'ConnectionFailed', 'BrokenPromise', 'QueueFull', 'EndpointNotFound']),
  getReplyUnlessFailedFor: new Set([
    'reply',
    'Timeout',
    'ConnectionFailed',
    'BrokenPromise',
    'MaybeDelivered',
    'QueueFull',
    'EndpointNotFound',
  ]),
};

/** At most once: never executed twice anywhere (the request is never resent). */
const AT_MOST_ONCE: ReadonlySet<DeliveryMode> = new Set(['send', 'tryGetReply']);

interface RequestRecord {
  readonly mode: DeliveryMode;
  readonly via: Via;
  readonly server: string;
  readonly client: string;
  readonly op: EchoOp;
  executions: number;
  /** `server#boot` of every incarnation that applied it. */
  readonly appliedBy: Set<string>;
  answered: boolean;
  abandoned: boolean;
  outcomes: Outcome[];
}

const STATE_KEY = 'transport:delivery-checker';

/**
 * The delivery guarantees, checked incrementally over the per-mode timelines after every simulation
 * event (`check`, the simulation's invariant), and at the end (`unresolved`, from the check phase):
 * - nothing is executed, answered or resolved for a request never sent;
 * - an at-most-once request (`send`, `tryGetReply`) is never executed twice, and no request resolves twice;
 * - an `increment` is applied at most once by each server incarnation (it deduplicates by request id);
 * - each mode ends only in the outcomes SPEC §6.5 allows; `MaybeDelivered` only after a connection
 *   failure; `BrokenPromise` only when a server gave the request up; `EndpointNotFound` only for the
 *   typed service of a server that stopped serving it, or after this client's getReply to it got
 *   `BrokenPromise` (either marks it missing for good); a reply only after a server
 *   executed the request, and intact; a request refused with `QueueFull` never executed;
 * - no content that fails its own hash is ever delivered (the transport's checksum catches corruption).
 * The first violation is thrown, and thrown again by every later check.
 */
export class DeliveryChecker {
  private readonly logs: EventLog<DeliveryEvent>[];
  private readonly cursors: number[];
  private readonly corrupt: EventLog<CorruptDelivery>;
  private readonly stops: EventLog<ServiceStopped>;
  private stopsSeen = 0;
  /** Servers that have stopped serving the typed service at least once. */
  private readonly stoppedServers = new Set<string>();
  /** `client server` pairs where a getReply to the typed service got BrokenPromise (it then marks it missing). */
  private readonly brokenServices = new Set<string>();
  private readonly requests = new Map<string, RequestRecord>();
  private violation: string | null = null;

  /** Reads the logs `logOf(key)` gives (a simulation's: `ctx.eventLog`). */
  constructor(logOf: <E>(key: string) => EventLog<E>) {
    this.logs = DELIVERY_MODES.map((mode) => logOf<DeliveryEvent>(DELIVERY_LOGS[mode]));
    this.cursors = this.logs.map(() => 0);
    this.corrupt = logOf<CorruptDelivery>(CORRUPT_LOG);
    this.stops = logOf<ServiceStopped>(SERVICE_LOG);
  }

  /** The iteration's checker, made by the first workload's setup. */
  static of(ctx: SimContext): DeliveryChecker {
    let checker = ctx.state.get<DeliveryChecker>(STATE_KEY);
    if (checker === undefined) {
      checker = new DeliveryChecker((key) => ctx.eventLog(key));
      ctx.state.publish(STATE_KEY, checker);
    }
    return checker;
  }

  /** The invariant: reads what was logged since the last call. */
  static checkState(state: StateHandle): void {
    state.get<DeliveryChecker>(STATE_KEY)?.check();
  }

  /** Requests seen so far. */
  get sent(): number {
    return this.requests.size;
  }

  check(): void {
    if (this.violation === null) {
      const corrupt = this.corrupt.all()[0];
      if (corrupt !== undefined) {
        this.violation = `corrupted data delivered as a message (${corrupt.event.where}): ${corrupt.event.detail}`;
      } else {
        this.violation = this.catchUp();
      }
    }
    if (this.violation !== null) throw new Error(this.violation);
  }

  /** Requests without exactly one outcome (at the end, every request must have one). */
  unresolved(): string[] {
    this.check();
    const out: string[] = [];
    for (const [id, r] of this.requests) {
      if (r.outcomes.length !== 1) out.push(`${id} (${r.mode}): ${r.outcomes.length} outcomes`);
    }
    return out;
  }

  /** Applies the new entries of every log in their global order; returns the first violation. */
  private catchUp(): string | null {
    // A stop is logged before anything it causes, so reading the stops first keeps cause before effect.
    for (; this.stopsSeen < this.stops.length; this.stopsSeen++) {
      this.stoppedServers.add((this.stops.all()[this.stopsSeen] as EventLogEntry<ServiceStopped>).event.server);
    }
    const fresh: { entry: EventLogEntry<DeliveryEvent>; mode: DeliveryMode }[] = [];
    this.logs.forEach((log, i) => {
      if (log.length === this.cursors[i]) return;
      const mode = DELIVERY_MODES[i] as DeliveryMode;
      for (const entry of log.since(this.cursors[i] as number)) fresh.push({ entry, mode });
      this.cursors[i] = log.length;
    });
    if (fresh.length > 1) fresh.sort((a, b) => a.entry.seq - b.entry.seq);
    for (const { entry, mode } of fresh) {
      const violation = this.apply(entry.event, mode);
      if (violation !== null) return `${violation} [at ${entry.timeMs} ms]`;
    }
    return null;
  }

  private apply(e: DeliveryEvent, mode: DeliveryMode): string | null {
    if (e.type === 'sent') {
      if (this.requests.has(e.id)) return `request id ${e.id} sent twice`;
      this.requests.set(e.id, {
        mode,
        via: e.via,
        server: e.server,
        client: e.client,
        op: e.op,
        executions: 0,
        appliedBy: new Set(),
        answered: false,
        abandoned: false,
        outcomes: [],
      });
      return null;
    }
    const r = this.requests.get(e.id);
    if (r === undefined) return `${e.type} for request ${e.id}, which was never sent`;
    if (r.mode !== mode) return `${e.type} for ${e.id} logged as ${mode}, sent as ${r.mode}`;
    switch (e.type) {
      case 'executed': {
        r.executions++;
        if (AT_MOST_ONCE.has(mode) && r.executions > 1) {
          return `at-most-once request ${e.id} (${mode}) executed ${r.executions} times`;
        }
        const incarnation = `${e.server}#${e.boot}`;
        if (r.op === 'increment' && r.appliedBy.has(incarnation)) {
          return `increment ${e.id} (${mode}) applied twice by ${e.server} in its boot ${e.boot}: not exactly once`;
        }
        r.appliedBy.add(incarnation);
        if (r.outcomes.includes('QueueFull')) return `request ${e.id} refused with QueueFull was executed`;
        return null;
      }
      case 'deduplicated':
        r.answered = true;
        return null;
      case 'abandoned':
        r.abandoned = true;
        return null;
      case 'replied':
        r.answered = true;
        return null;
      case 'outcome':
        return this.resolve(e, r, mode);
      default:
        return null;
    }
  }

  private resolve(e: Extract<DeliveryEvent, { type: 'outcome' }>, r: RequestRecord, mode: DeliveryMode): string | null {
    r.outcomes.push(e.outcome);
    if (r.outcomes.length > 1) return `request ${e.id} (${mode}) resolved twice: ${r.outcomes.join(', ')}`;
    if (!ALLOWED[mode].has(e.outcome)) return `${mode} request ${e.id} ended in ${e.outcome}: ${e.detail}`;
    switch (e.outcome) {
      case 'reply':
        if (!e.intact) return `reply to ${e.id} (${mode}) does not match its request: ${e.detail}`;
        if (r.executions === 0 && !r.answered) return `reply to ${e.id} (${mode}), which no server executed`;
        return null;
      case 'MaybeDelivered':
        if (!e.faultSeen) return `MaybeDelivered for ${e.id} (${mode}) without any connection failure: ${e.detail}`;
        return null;
      case 'BrokenPromise':
        if (!r.abandoned) return `BrokenPromise for ${e.id} (${mode}), which no server gave up: ${e.detail}`;
        if (mode === 'getReply' && r.via === 'service') this.brokenServices.add(`${r.client} ${r.server}`);
        return null;
      case 'QueueFull':
        if (r.executions > 0) return `request ${e.id} refused with QueueFull was executed`;
        return null;
      case 'EndpointNotFound':
        // The typed service of that server was stopped at some time, or this client's getReply to it
        // got BrokenPromise (which marks the endpoint missing, SPEC §6.5): the failure is permanent.
        if (r.via !== 'service' || !(this.stoppedServers.has(r.server) || this.brokenServices.has(`${r.client} ${r.server}`))) {
          return `EndpointNotFound for ${e.id} (${mode} via ${r.via}), but ${r.server} never stopped that endpoint: ${e.detail}`;
        }
        return null;
      default:
        return null;
    }
  }
}
