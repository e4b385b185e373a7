import { assertAlways, type StateHandle } from 'moonpool';

/** One leadership term as observed: from the leader's first action to its latest, in `now()` time. */
interface Term {
  readonly holder: string;
  readonly epoch: number;
  readonly first: number;
  last: number;
}

/**
 * The test's view of who acted as leader when. Every leader action is recorded with the true
 * simulated time; two terms of different nodes whose action intervals overlap mean two leaders at
 * once, which the always-assertion records and the invariant turns into a failed iteration.
 */
export class LeadershipMonitor {
  private readonly terms: Term[] = [];
  /** The first overlap seen, described; null while all is well. */
  violation: string | null = null;

  get termCount(): number {
    return this.terms.length;
  }

  /** `holder` acted as leader of term `epoch` at `nowMs`. */
  recordAction(holder: string, epoch: number, nowMs: number): void {
    let term: Term | undefined;
    for (let i = this.terms.length - 1; i >= 0; i--) {
      const t = this.terms[i] as Term;
      if (t.epoch === epoch && t.holder === holder) {
        term = t;
        break;
      }
    }
    if (term === undefined) {
      term = { holder, epoch, first: nowMs, last: nowMs };
      this.terms.push(term);
    } else term.last = nowMs;

    let rival: Term | undefined;
    for (const other of this.terms) {
      if (other.holder !== holder && other.first <= term.last && other.last >= term.first) {
        rival = other;
        break;
      }
    }
    assertAlways(rival === undefined, 'one leader at a time');
    if (rival !== undefined && this.violation === null) {
      this.violation =
        `${holder} (epoch ${epoch}) acted as leader at ${nowMs} ms while ${rival.holder} ` +
        `(epoch ${rival.epoch}) led from ${rival.first} to ${rival.last} ms`;
    }
  }
}

/** Invariant body: fails the iteration at the first event after two leaders overlapped. */
export function checkOneLeader(state: StateHandle): void {
  const violation = state.get<LeadershipMonitor>(MONITOR_KEY)?.violation;
  if (violation) throw new Error(violation);
}

export const MONITOR_KEY = 'lease:monitor';
