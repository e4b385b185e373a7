import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBugRecipe, reportSucceeded } from 'moonpool';
import { quorumRegisterExplore } from '../src/quorum-register/quorum-register-explore.sim.js';
import { quorumRegister, quorumRegisterBuggy } from '../src/quorum-register/quorum-register.sim.js';
import { RegisterHistory } from '../src/quorum-register/register-history.js';
import { registerSimulation } from '../src/quorum-register/register-simulation.js';
import type { Version } from '../src/quorum-register/register-service.js';

/** Outcomes the workload must reach within the bundled iterations. */
const REACHED = [
  'register: a replica restarted with the value it had stored',
  'register: a quorum was reached although a replica failed',
  'register: a replica call ended in MaybeDelivered',
  'register: QuorumNotMet',
  'register: a read wrote a newer value back to stale replicas',
  'register: a read returned a write still in progress',
  'register: a read returned the value of a write that failed',
  'register: a read returned a value older than the newest acknowledged write',
  'register: readOne returned a stale value',
];

const LINEARIZABILITY = /quorum register is linearizable.*(older than|not newer than)/;

describe('quorum-register', () => {
  it('stays linearizable under chaos, crashes and reboots, and reaches every outcome', async () => {
    const report = await quorumRegister.build().run();
    assert.equal(report.iterations, 20);
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}: ${report.runs.find((r) => !r.ok)?.error}`);
    const byMsg = new Map(report.assertions.map((a) => [a.msg, a]));
    for (const msg of REACHED) assert.equal(byMsg.get(msg)?.status, 'pass', `${msg} never happened`);
    // Two clients per iteration, each checking at the end.
    assert.equal(byMsg.get('register: a read succeeds once chaos is over')?.passCount, 40);
    assert.equal(byMsg.get('register: the history is linearizable')?.passCount, 40);
    assert.deepEqual(report.coverageViolations, []);
  });

  it('catches a read quorum too small (2 of 5), reproducibly', async () => {
    const report = await quorumRegisterBuggy.build().run();
    assert.ok(report.failedRuns >= 5, `only ${report.failedRuns} of 20 seeds caught the bug`);
    const failing = report.runs.find((r) => !r.ok);
    assert.ok(failing !== undefined);
    assert.match(failing.error ?? '', LINEARIZABILITY);

    const again = await quorumRegisterBuggy.build().setDebugSeeds([failing.seed]).run();
    assert.equal(again.runs[0]?.traceHash, failing.traceHash);
    assert.equal(again.runs[0]?.error, failing.error);
  });

  it('catches a client that counts MaybeDelivered as an acknowledgement: the write is on too few replicas', async () => {
    // A seed where it bites (4 of the first 30 do); the correct client passes the same seed.
    const seed = 6363937234515609471n;
    const buggy = await registerSimulation({ register: { maybeDeliveredIsAck: true } }).setDebugSeeds([seed]).run();
    assert.match(buggy.runs[0]?.error ?? '', /acknowledged write .* is held durably by 2 of 5 replicas/);
    const correct = await registerSimulation().setDebugSeeds([seed]).run();
    assert.ok(reportSucceeded(correct), correct.runs[0]?.error);
  });

  it('exploring the small read quorum in a quieter world finds the stale read in branched timelines', async () => {
    const report = await quorumRegisterExplore.build().run();
    assert.equal(report.failedRuns, 0, 'a root seed met the bug by itself');
    const bugs = report.exploration?.bugRecipes ?? [];
    assert.ok(bugs.length > 0, 'exploration found no bug');
    const bug = bugs[0];
    assert.ok(bug !== undefined);
    const replay = await quorumRegisterExplore.build().replayRecipe(formatBugRecipe(bug)).run();
    assert.equal(replay.failedRuns, 1);
    assert.match(replay.runs[0]?.error ?? '', LINEARIZABILITY);
  });
});

const v = (counter: number, writer = 'w'): Version => ({ counter, writer });

describe('register history', () => {
  it('accepts reads of concurrent writes, old or new, and of a failed write', () => {
    const h = new RegisterHistory();
    const w1 = h.begin('write', 'a');
    h.chose(w1, v(1, 'a'), 'a#1');
    const r1 = h.begin('read', 'b'); // overlaps w1: may see the old value or the new one
    h.returned(r1, { version: v(0, ''), value: null });
    h.acknowledge(w1);
    const w2 = h.begin('write', 'a');
    h.chose(w2, v(2, 'a'), 'a#2');
    h.failed(w2); // its outcome is unknown: reads may see it
    const r2 = h.begin('read', 'b');
    h.returned(r2, { version: v(2, 'a'), value: 'a#2' });
    const r3 = h.begin('read', 'c');
    h.returned(r3, { version: v(2, 'a'), value: 'a#2' });
    const stale = h.begin('readOne', 'c'); // one replica: may be stale
    h.returned(stale, { version: v(1, 'a'), value: 'a#1' });
    assert.equal(h.violation, null);
    assert.deepEqual(h.newestAcknowledged, v(1, 'a'));
  });

  const violations: [string, (h: RegisterHistory) => void, RegExp][] = [
    [
      'a read older than a write acknowledged before it began',
      (h) => {
        const w = h.begin('write', 'a');
        h.chose(w, v(1, 'a'), 'a#1');
        h.acknowledge(w);
        h.returned(h.begin('read', 'b'), { version: v(0, ''), value: null });
      },
      /read #2 by b returned 0, older than 1.a of write #1 by a/,
    ],
    [
      'a read older than a read that returned before it began',
      (h) => {
        const w = h.begin('write', 'a');
        h.chose(w, v(1, 'a'), 'a#1');
        h.returned(h.begin('read', 'b'), { version: v(1, 'a'), value: 'a#1' });
        h.returned(h.begin('read', 'c'), { version: v(0, ''), value: null });
      },
      /read #3 by c returned 0, older than 1.a of read #2 by b/,
    ],
    [
      'a write whose version is not newer than a completed one',
      (h) => {
        const w = h.begin('write', 'a');
        h.chose(w, v(3, 'a'), 'a#1');
        h.acknowledge(w);
        h.chose(h.begin('write', 'b'), v(3, 'A'), 'b#1');
      },
      /write #2 by b chose version 3.A, not newer than 3.a/,
    ],
    [
      'two writes with one version',
      (h) => {
        h.chose(h.begin('write', 'a'), v(1, 'a'), 'a#1');
        h.chose(h.begin('write', 'a'), v(1, 'a'), 'a#2');
      },
      /chose version 1.a, which another write already had/,
    ],
    [
      'a read of a version nobody wrote',
      (h) => h.returned(h.begin('readOne', 'a'), { version: v(5, 'x'), value: 'x#5' }),
      /returned version 5.x, which no write ever chose/,
    ],
    [
      'a read of a value its version was not written with',
      (h) => {
        h.chose(h.begin('write', 'a'), v(1, 'a'), 'a#1');
        h.returned(h.begin('read', 'b'), { version: v(1, 'a'), value: 'something else' });
      },
      /returned 'something else' as version 1.a, which was written with 'a#1'/,
    ],
  ];
  for (const [what, scenario, message] of violations) {
    it(`reports ${what}`, () => {
      const h = new RegisterHistory();
      scenario(h);
      assert.match(h.violation ?? '(none)', message);
    });
  }

  it('keeps the first violation', () => {
    const h = new RegisterHistory();
    h.returned(h.begin('read', 'a'), { version: v(9, 'x'), value: 'x' });
    h.returned(h.begin('read', 'a'), { version: v(8, 'x'), value: 'x' });
    assert.match(h.violation ?? '', /9\.x/);
  });
});
