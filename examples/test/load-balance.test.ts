import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventLog, type EventLogEntry, formatBugRecipe, reportSucceeded } from 'moonpool';
import { LoadBalanceChecker } from '../src/load-balance/lb-checker.js';
import { LB_LOG, type LbEvent } from '../src/load-balance/lb-events.js';
import { loadBalanceExplore } from '../src/load-balance/load-balance-explore.sim.js';
import { loadBalanceBuggy, loadBalanceSim } from '../src/load-balance/load-balance.sim.js';

/** What the correct simulation must reach within its bundled iterations. */
const REACHED = [
  'lb: fell back to a farther tier',
  'lb: answered by a remote replica',
  'lb: a backoff and a second cycle',
  'lb: AtMostOnce.True returned MaybeDelivered',
];

describe('load-balance simulation', () => {
  it('keeps at most once, closer first and nothing lost under partitions and reboots, and reaches every fallback', async () => {
    const report = await loadBalanceSim.build().run();
    assert.equal(report.iterations, 20);
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}: ${report.runs.find((r) => !r.ok)?.error}`);
    const byMsg = new Map(report.assertions.map((a) => [a.msg, a]));
    for (const msg of REACHED) assert.equal(byMsg.get(msg)?.status, 'pass', `${msg} never happened`);
    // Two clients per iteration, each checking at the end that no call was left open.
    assert.equal(byMsg.get('lb: every call ended in a reply or an error')?.passCount, 40);
    assert.deepEqual(report.coverageViolations, []);
  });

  it('catches a client that retries an AtMostOnce.True increment after MaybeDelivered, reproducibly', async () => {
    const report = await loadBalanceBuggy.build().run();
    assert.ok(report.failedRuns > 0, 'the seeded bug was not found in 20 iterations');
    const failing = report.runs.find((r) => !r.ok);
    assert.ok(failing !== undefined);
    assert.match(failing.error ?? '', /load balancing guarantees hold.*AtMostOnce\.True call .* executed 2 times/);

    const again = await loadBalanceBuggy.build().setDebugSeeds([failing.seed]).run();
    assert.equal(again.runs[0]?.traceHash, failing.traceHash);
    assert.equal(again.runs[0]?.error, failing.error);
  });

  it('exploring the broken client with rarer partitions finds the double execution in branched timelines', async () => {
    const report = await loadBalanceExplore.build().run();
    const bugs = report.exploration?.bugRecipes ?? [];
    assert.ok(bugs.length > 0, 'exploration found no bug');
    const bug = bugs[0];
    assert.ok(bug !== undefined);
    const replay = await loadBalanceExplore.build().replayRecipe(formatBugRecipe(bug)).run();
    assert.equal(replay.failedRuns, 1);
    assert.match(replay.runs[0]?.error ?? '', /executed 2 times/);
  });
});

/** A checker over a log the test writes, entry by entry, at the times given. */
function harness(maxCallMs = 1000): { checker: LoadBalanceChecker; emit: (e: LbEvent, timeMs?: number) => void } {
  const entries: EventLogEntry<LbEvent>[] = [];
  let seq = 0;
  const checker = new LoadBalanceChecker(
    <E>(key: string) => {
      assert.equal(key, LB_LOG);
      return new EventLog<E>(entries as unknown as EventLogEntry<E>[]);
    },
    { maxCallMs, maxFullCycles: 2 },
  );
  const emit = (event: LbEvent, timeMs = seq): void => {
    entries.push({ event, timeMs, source: 'test', seq: seq++ });
  };
  // A client on m1: a SameMachine, a SameDc and a Remote replica.
  emit({ type: 'alternatives', client: 'c', servers: [['a', 0], ['b', 1], ['r', 2]] });
  return { checker, emit };
}

const call = (id: string, atMostOnce: boolean): LbEvent => ({ type: 'call', id, client: 'c', atMostOnce });
const attempt = (id: string, server: string, failed: string[] = []): LbEvent => ({ type: 'attempt', id, server, failed });
const executed = (id: string, server: string, boot = 1): LbEvent => ({ type: 'executed', id, server, boot });
const reply = (id: string, server: string, boot = 1): LbEvent => ({ type: 'end', id, outcome: 'reply', server, boot, detail: '' });
const failure = (id: string, outcome: Extract<LbEvent, { type: 'end' }>['outcome']): LbEvent => ({ type: 'end', id, outcome, detail: 'test' });

describe('load-balance checker', () => {
  it('accepts closest-first attempts, a fallback past a failed or tried replica, and calls that end once', () => {
    const { checker, emit } = harness();
    emit(call('1', true));
    emit(attempt('1', 'a'));
    emit(executed('1', 'a'));
    emit(reply('1', 'a'));
    emit(call('2', true));
    emit(attempt('2', 'b', ['a'])); // a counted failed: b may be chosen
    emit(failure('2', 'ConnectionFailed'));
    emit(call('3', false));
    for (const server of ['a', 'b', 'r', 'a', 'b', 'r']) emit(attempt('3', server)); // two full cycles
    emit(executed('3', 'r'));
    emit(executed('3', 'r', 2)); // at least once: may run twice
    emit(failure('3', 'Timeout'));
    checker.check(10);
    assert.deepEqual(checker.open(10), []);
  });

  const violations: [string, (emit: (e: LbEvent, t?: number) => void) => void, RegExp][] = [
    [
      'an AtMostOnce.True call executed twice',
      (emit) => {
        emit(call('1', true));
        emit(attempt('1', 'a'));
        emit(executed('1', 'a'));
        emit(attempt('1', 'b'));
        emit(executed('1', 'b'));
      },
      /AtMostOnce\.True call 1 executed 2 times \(a#1, b#1\)/,
    ],
    [
      'a farther replica chosen while a closer one was available and untried',
      (emit) => {
        emit(call('1', false));
        emit(attempt('1', 'a'));
        emit(attempt('1', 'r', [])); // b (SameDc) neither tried nor failed
      },
      /went to r \(distance 2\) while b \(distance 1\) was available/,
    ],
    [
      'an AtMostOnce.True attempt on a replica counted failed',
      (emit) => {
        emit(call('1', true));
        emit(attempt('1', 'a', ['a']));
      },
      /sent to a, which its failure monitor counted failed/,
    ],
    [
      'a call that ends twice',
      (emit) => {
        emit(call('1', true));
        emit(failure('1', 'MaybeDelivered'));
        emit(failure('1', 'MaybeDelivered'));
      },
      /ended twice/,
    ],
    [
      'a reply from a replica that never executed the request',
      (emit) => {
        emit(call('1', false));
        emit(attempt('1', 'a'));
        emit(reply('1', 'a'));
      },
      /answered by a#1, which never executed it/,
    ],
    [
      'an execution at a replica the call was never sent to',
      (emit) => {
        emit(call('1', false));
        emit(attempt('1', 'a'));
        emit(executed('1', 'b'));
      },
      /b executed 1, which was never sent to it/,
    ],
    [
      'an error that is not a transport failure',
      (emit) => {
        emit(call('1', false));
        emit(failure('1', 'Other'));
      },
      /ended in Other/,
    ],
    [
      'an AtMostOnce.False call giving up before trying every alternative in every cycle',
      (emit) => {
        emit(call('1', false));
        emit(attempt('1', 'a'));
        emit(failure('1', 'Timeout'));
      },
      /gave up \(Timeout\) after 1 attempts, not 6/,
    ],
    [
      'a call left without a reply or an error for too long',
      (emit) => {
        emit(call('1', true), 0);
        emit(attempt('1', 'a'), 0);
      },
      /call 1 has been out for 1001 ms/,
    ],
  ];
  for (const [what, write, expected] of violations) {
    it(`reports ${what}, and keeps reporting it`, () => {
      const { checker, emit } = harness();
      write(emit);
      assert.throws(() => checker.check(1001), expected);
      assert.throws(() => checker.check(1002), expected);
    });
  }
});
