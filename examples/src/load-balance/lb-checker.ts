import type { EventLog, SimContext, StateHandle } from 'moonpool';
import { type CallOutcome, LB_LOG, type LbEvent } from './lb-events.js';

/** What a call may end in besides a reply, by mode (see docs/transport.md, "Load balancing"). */
const ALLOWED_ERRORS: Readonly<Record<'atMostOnce' | 'atLeastOnce', ReadonlySet<CallOutcome>>> = {
  // Returned at once: MaybeDelivered, Timeout, BrokenPromise. After every cycle: the last of the
  // failures that prove nothing ran (ConnectionFailed, EndpointNotFound, QueueFull), or nothing sent.
  atMostOnce: new Set(['MaybeDelivered', 'Timeout', 'BrokenPromise', 'ConnectionFailed', 'EndpointNotFound', 'QueueFull', 'AllAlternativesFailed']),
  // Every failure is retried; after every cycle the last one is returned.
  atLeastOnce: new Set(['MaybeDelivered', 'Timeout', 'BrokenPromise', 'ConnectionFailed', 'EndpointNotFound', 'QueueFull']),
};

export interface LoadBalanceCheckerOptions {
  /** The longest a call may stay without a reply or an error (simulated ms). */
  readonly maxCallMs: number;
  /** The load balancer's `maxFullCycles`: an at-least-once call gives up only after that many. */
  readonly maxFullCycles: number;
}

interface CallRecord {
  readonly client: string;
  readonly atMostOnce: boolean;
  readonly startMs: number;
  /** Alternatives this call was sent to, in any cycle. */
  readonly tried: Set<string>;
  attempts: number;
  /** `server#boot` of each execution. */
  readonly executedBy: string[];
  ended: boolean;
}

const STATE_KEY = 'lb:checker';

/**
 * The load-balancing invariants, checked over the `lb:calls` timeline after every simulation event
 * (`check`, the simulation's invariant) and at the end (`open`, from the check phase):
 *
 * 1. **At most once.** A call made with `AtMostOnce.True` is executed by at most one replica
 *    incarnation, once. (Every execution is logged by the replica that runs it.) A request is only
 *    ever executed by a replica it was sent to.
 * 2. **Closer first.** Each time the load balancer sends a call to a replica at distance d, every
 *    alternative closer than d was either already tried by this call or counted failed by the
 *    client's failure monitor at that very instant (the attempt is logged synchronously with the
 *    choice, so this cannot flake). "Available" means exactly: not counted failed by that monitor.
 *    With `AtMostOnce.True` no attempt goes to a replica the monitor counts failed (`tryGetReply`
 *    would give `MaybeDelivered` without sending, and that would be returned).
 * 3. **Nothing lost.** Every call ends exactly once, in a reply or an error that reaches the caller,
 *    within `maxCallMs` (checked after every event, so a call left hanging fails the run while it
 *    hangs); a reply comes from a replica incarnation that executed that very request; an error is
 *    one the mode allows (anything else is a bug), and an `AtMostOnce.False` call gives up only after
 *    sending to every alternative in every cycle.
 *
 * The first violation is thrown, and thrown again by every later check.
 */
export class LoadBalanceChecker {
  private readonly log: EventLog<LbEvent>;
  private cursor = 0;
  /** Per client: each alternative's distance. */
  private readonly distances = new Map<string, ReadonlyMap<string, number>>();
  private readonly calls = new Map<string, CallRecord>();
  /** Calls started and not ended, oldest first. */
  private readonly openCalls = new Set<string>();
  private violation: string | null = null;

  constructor(
    logOf: <E>(key: string) => EventLog<E>,
    private readonly options: LoadBalanceCheckerOptions,
  ) {
    this.log = logOf<LbEvent>(LB_LOG);
  }

  /** The iteration's checker, made by the first client's setup. */
  static of(ctx: SimContext, options: LoadBalanceCheckerOptions): LoadBalanceChecker {
    let checker = ctx.state.get<LoadBalanceChecker>(STATE_KEY);
    if (checker === undefined) {
      checker = new LoadBalanceChecker((key) => ctx.eventLog(key), options);
      ctx.state.publish(STATE_KEY, checker);
    }
    return checker;
  }

  /** The invariant: reads what was logged since the last call and checks the calls still out. */
  static checkState(state: StateHandle, nowMs: number): void {
    state.get<LoadBalanceChecker>(STATE_KEY)?.check(nowMs);
  }

  /** Calls seen so far. */
  get callCount(): number {
    return this.calls.size;
  }

  check(nowMs: number): void {
    if (this.violation === null) this.violation = this.catchUp() ?? this.overdue(nowMs);
    if (this.violation !== null) throw new Error(this.violation);
  }

  /** Calls that have not ended (at the end, there must be none). */
  open(nowMs: number): string[] {
    this.check(nowMs);
    return [...this.openCalls];
  }

  private catchUp(): string | null {
    if (this.log.length === this.cursor) return null;
    for (const entry of this.log.since(this.cursor)) {
      this.cursor++;
      const violation = this.apply(entry.event, entry.timeMs);
      if (violation !== null) return `${violation} [at ${entry.timeMs} ms]`;
    }
    return null;
  }

  private overdue(nowMs: number): string | null {
    // Insertion order is start order: the first open call is the oldest.
    for (const id of this.openCalls) {
      const call = this.calls.get(id) as CallRecord;
      const out = nowMs - call.startMs;
      if (out > this.options.maxCallMs) {
        return `call ${id} has been out for ${out} ms (more than ${this.options.maxCallMs}) with neither a reply nor an error`;
      }
      return null;
    }
    return null;
  }

  private apply(e: LbEvent, timeMs: number): string | null {
    switch (e.type) {
      case 'alternatives':
        this.distances.set(e.client, new Map(e.servers));
        return null;
      case 'call': {
        if (this.calls.has(e.id)) return `call id ${e.id} used twice`;
        if (!this.distances.has(e.client)) return `call ${e.id} from ${e.client}, which declared no alternatives`;
        this.calls.set(e.id, {
          client: e.client,
          atMostOnce: e.atMostOnce,
          startMs: timeMs,
          tried: new Set(),
          attempts: 0,
          executedBy: [],
          ended: false,
        });
        this.openCalls.add(e.id);
        return null;
      }
      case 'attempt':
        return this.attempt(e);
      case 'executed': {
        const call = this.calls.get(e.id);
        if (call === undefined) return `${e.server} executed ${e.id}, which no client called`;
        if (!call.tried.has(e.server)) return `${e.server} executed ${e.id}, which was never sent to it`;
        call.executedBy.push(`${e.server}#${e.boot}`);
        if (call.atMostOnce && call.executedBy.length > 1) {
          return `AtMostOnce.True call ${e.id} executed ${call.executedBy.length} times (${call.executedBy.join(', ')})`;
        }
        return null;
      }
      case 'end':
        return this.end(e);
    }
  }

  private attempt(e: Extract<LbEvent, { type: 'attempt' }>): string | null {
    const call = this.calls.get(e.id);
    if (call === undefined) return `attempt of ${e.id}, which was never called`;
    if (call.ended) return `attempt of ${e.id} after it ended`;
    const distances = this.distances.get(call.client) as ReadonlyMap<string, number>;
    const distance = distances.get(e.server);
    if (distance === undefined) return `${e.id} sent to ${e.server}, which is not one of ${call.client}'s alternatives`;
    const failed = new Set(e.failed);
    if (call.atMostOnce && failed.has(e.server)) {
      return `AtMostOnce.True call ${e.id} sent to ${e.server}, which its failure monitor counted failed`;
    }
    for (const [server, d] of distances) {
      if (d < distance && !call.tried.has(server) && !failed.has(server)) {
        return (
          `call ${e.id} of ${call.client} went to ${e.server} (distance ${distance}) while ${server} ` +
          `(distance ${d}) was available and not yet tried by this call`
        );
      }
    }
    call.tried.add(e.server);
    call.attempts++;
    return null;
  }

  private end(e: Extract<LbEvent, { type: 'end' }>): string | null {
    const call = this.calls.get(e.id);
    if (call === undefined) return `${e.id} ended, but was never called`;
    if (call.ended) return `call ${e.id} ended twice (now in ${e.outcome})`;
    call.ended = true;
    this.openCalls.delete(e.id);
    if (e.outcome === 'reply') {
      const by = `${e.server}#${e.boot}`;
      if (!call.executedBy.includes(by)) return `call ${e.id} answered by ${by}, which never executed it`;
      return null;
    }
    const allowed = ALLOWED_ERRORS[call.atMostOnce ? 'atMostOnce' : 'atLeastOnce'];
    if (!allowed.has(e.outcome)) {
      return `${call.atMostOnce ? 'AtMostOnce.True' : 'AtMostOnce.False'} call ${e.id} ended in ${e.outcome}: ${e.detail}`;
    }
    if (!call.atMostOnce) {
      const n = (this.distances.get(call.client) as ReadonlyMap<string, number>).size;
      const expected = n * this.options.maxFullCycles;
      if (call.attempts !== expected) {
        return `AtMostOnce.False call ${e.id} gave up (${e.outcome}) after ${call.attempts} attempts, not ${expected} (every alternative in every cycle)`;
      }
    }
    return null;
  }
}
