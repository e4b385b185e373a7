import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventLog, type EventLogEntry, formatBugRecipe, reportSucceeded } from 'moonpool';
import { DeliveryChecker } from '../src/transport/delivery-checker.js';
import { CORRUPT_LOG, DELIVERY_LOGS, type DeliveryEvent, SERVICE_LOG } from '../src/transport/delivery-events.js';
import type { DeliveryMode } from '../src/transport/echo-protocol.js';
import { transportExplore } from '../src/transport/transport-explore.sim.js';
import { transport, transportBuggy } from '../src/transport/transport.sim.js';

/** Every outcome the workload must reach within the bundled iterations. */
const REACHED = [
  'rpc: reply',
  'rpc: tryGetReply MaybeDelivered',
  'rpc: getReplyUnlessFailedFor MaybeDelivered',
  'rpc: BrokenPromise',
  'rpc: reply after reconnect (resent)',
  'transport: corrupt packet caught by its checksum',
  'rpc: QueueFull',
  'rpc: Timeout',
  'rpc: ConnectionFailed',
  'rpc: EndpointNotFound (service stopped)',
  'rpc: increment arrived again (resent)',
];

describe('transport', () => {
  it('keeps every delivery guarantee under chaos and reboots, and reaches every outcome', async () => {
    const report = await transport.build().run();
    assert.equal(report.iterations, 20);
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}: ${report.runs.find((r) => !r.ok)?.error}`);
    const byMsg = new Map(report.assertions.map((a) => [a.msg, a]));
    for (const msg of REACHED) assert.equal(byMsg.get(msg)?.status, 'pass', `${msg} never happened`);
    // Two clients per iteration, each checking at the end.
    assert.equal(byMsg.get('every request ended exactly once')?.passCount, 40);
    assert.equal(byMsg.get('every server answers once chaos is over')?.passCount, 120);
    assert.deepEqual(report.coverageViolations, []);
  });

  it('catches servers that apply a resent increment again, reproducibly', async () => {
    const report = await transportBuggy.build().run();
    assert.ok(report.failedRuns > 0, 'the seeded bug was not found in 10 iterations');
    const failing = report.runs.find((r) => !r.ok);
    assert.ok(failing !== undefined);
    assert.match(failing.error ?? '', /delivery guarantees hold.*increment .* applied twice by .* not exactly once/);

    const again = await transportBuggy.build().setDebugSeeds([failing.seed]).run();
    assert.equal(again.runs[0]?.traceHash, failing.traceHash);
    assert.equal(again.runs[0]?.error, failing.error);
  });

  it('exploring the broken servers on a quieter network finds the double increment in branched timelines', async () => {
    // A root meets the bug about once in 30 seeds by itself; the branches are what find it here.
    const report = await transportExplore.build().run();
    const bugs = report.exploration?.bugRecipes ?? [];
    assert.ok(bugs.length > 0, 'exploration found no bug');
    const bug = bugs[0];
    assert.ok(bug !== undefined);
    const replay = await transportExplore.build().replayRecipe(formatBugRecipe(bug)).run();
    assert.equal(replay.failedRuns, 1);
    assert.match(replay.runs[0]?.error ?? '', /not exactly once/);
  });
});

interface Harness {
  readonly checker: DeliveryChecker;
  emit(mode: DeliveryMode, event: DeliveryEvent): void;
  log(key: string, event: unknown): void;
}

/** A checker over logs the test writes, entry by entry. */
function harness(): Harness {
  const logs = new Map<string, EventLogEntry<unknown>[]>();
  const entries = (key: string): EventLogEntry<unknown>[] => {
    let list = logs.get(key);
    if (list === undefined) logs.set(key, (list = []));
    return list;
  };
  let seq = 0;
  const log = (key: string, event: unknown): void => {
    entries(key).push({ event, timeMs: seq, source: 'test', seq: seq++ });
  };
  const checker = new DeliveryChecker(<E>(key: string) => new EventLog<E>(entries(key) as EventLogEntry<E>[]));
  return { checker, emit: (mode, event) => log(DELIVERY_LOGS[mode], event), log };
}

const sent = (id: string, mode: DeliveryMode, extra: Partial<Extract<DeliveryEvent, { type: 'sent' }>> = {}): DeliveryEvent => ({
  type: 'sent',
  id,
  mode,
  op: 'echo',
  server: 's1',
  via: 'stream',
  client: 'c1',
  ...extra,
});
const executed = (id: string, boot = 1, op: 'echo' | 'increment' = 'echo'): DeliveryEvent => ({ type: 'executed', id, op, server: 's1', boot });
const outcome = (id: string, o: Extract<DeliveryEvent, { type: 'outcome' }>['outcome'], faultSeen = false, intact = true): DeliveryEvent => ({
  type: 'outcome',
  id,
  outcome: o,
  faultSeen,
  intact,
  detail: 'test',
});

describe('delivery checker', () => {
  it('accepts a request that is sent, executed and answered, and counts it resolved', () => {
    const { checker, emit } = harness();
    emit('getReply', sent('a', 'getReply'));
    emit('getReply', executed('a'));
    emit('getReply', executed('a')); // at least once: a resent echo may run twice
    emit('getReply', { type: 'replied', id: 'a', server: 's1', boot: 1 });
    emit('getReply', outcome('a', 'reply'));
    checker.check();
    assert.deepEqual(checker.unresolved(), []);
  });

  const violations: [string, (h: Harness) => void, RegExp][] = [
    ['a reply to a request never sent', ({ emit }) => emit('getReply', outcome('x', 'reply')), /never sent/],
    ['an execution of a request never sent', ({ emit }) => emit('send', executed('x')), /never sent/],
    [
      'an at-most-once request executed twice',
      ({ emit }) => {
        emit('tryGetReply', sent('a', 'tryGetReply'));
        emit('tryGetReply', executed('a'));
        emit('tryGetReply', executed('a', 2));
      },
      /at-most-once request a \(tryGetReply\) executed 2 times/,
    ],
    [
      'an increment applied twice by one incarnation',
      ({ emit }) => {
        emit('getReply', sent('a', 'getReply', { op: 'increment' }));
        emit('getReply', executed('a', 1, 'increment'));
        emit('getReply', executed('a', 1, 'increment'));
      },
      /not exactly once/,
    ],
    [
      'a request resolved twice',
      ({ emit }) => {
        emit('tryGetReply', sent('a', 'tryGetReply'));
        emit('tryGetReply', outcome('a', 'Timeout'));
        emit('tryGetReply', outcome('a', 'Timeout'));
      },
      /resolved twice/,
    ],
    [
      'MaybeDelivered without a connection failure',
      ({ emit }) => {
        emit('tryGetReply', sent('a', 'tryGetReply'));
        emit('tryGetReply', outcome('a', 'MaybeDelivered', false));
      },
      /MaybeDelivered .* without any connection failure/,
    ],
    [
      'MaybeDelivered from getReply',
      ({ emit }) => {
        emit('getReply', sent('a', 'getReply'));
        emit('getReply', outcome('a', 'MaybeDelivered', true));
      },
      /getReply request a ended in MaybeDelivered/,
    ],
    [
      'BrokenPromise that no server gave',
      ({ emit }) => {
        emit('getReply', sent('a', 'getReply'));
        emit('getReply', outcome('a', 'BrokenPromise'));
      },
      /which no server gave up/,
    ],
    [
      'a reply nobody executed',
      ({ emit }) => {
        emit('getReply', sent('a', 'getReply'));
        emit('getReply', outcome('a', 'reply'));
      },
      /which no server executed/,
    ],
    [
      'a reply that does not match its request',
      ({ emit }) => {
        emit('getReply', sent('a', 'getReply'));
        emit('getReply', executed('a'));
        emit('getReply', outcome('a', 'reply', false, false));
      },
      /does not match its request/,
    ],
    [
      'a request refused with QueueFull that was executed',
      ({ emit }) => {
        emit('send', sent('a', 'send'));
        emit('send', outcome('a', 'QueueFull'));
        emit('send', executed('a'));
      },
      /refused with QueueFull was executed/,
    ],
    [
      'EndpointNotFound from a server that never stopped its service',
      ({ emit }) => {
        emit('getReply', sent('a', 'getReply', { via: 'service' }));
        emit('getReply', outcome('a', 'EndpointNotFound'));
      },
      /never stopped that endpoint/,
    ],
    [
      'corrupted data delivered',
      ({ log }) => log(CORRUPT_LOG, { where: 'server', detail: '{}' }),
      /corrupted data delivered/,
    ],
  ];
  for (const [what, scenario, message] of violations) {
    it(`reports ${what}`, () => {
      const h = harness();
      scenario(h);
      assert.throws(() => h.checker.check(), message);
      // The first violation sticks.
      assert.throws(() => h.checker.check(), message);
    });
  }

  it('allows EndpointNotFound once the service was stopped, or after a BrokenPromise to getReply', () => {
    const { checker, emit, log } = harness();
    emit('getReply', sent('a', 'getReply', { via: 'service' }));
    emit('getReply', { type: 'abandoned', id: 'a', server: 's1', boot: 1, why: 'asked to' });
    emit('getReply', outcome('a', 'BrokenPromise'));
    emit('tryGetReply', sent('b', 'tryGetReply', { via: 'service' }));
    emit('tryGetReply', outcome('b', 'EndpointNotFound'));
    emit('tryGetReply', sent('c', 'tryGetReply', { via: 'service', server: 's2' }));
    log(SERVICE_LOG, { server: 's2', boot: 1 });
    emit('tryGetReply', outcome('c', 'EndpointNotFound'));
    checker.check();
  });

  it('lists requests that never ended', () => {
    const { checker, emit } = harness();
    emit('getReplyUnlessFailedFor', sent('a', 'getReplyUnlessFailedFor'));
    assert.deepEqual(checker.unresolved(), ['a (getReplyUnlessFailedFor): 0 outcomes']);
  });
});
