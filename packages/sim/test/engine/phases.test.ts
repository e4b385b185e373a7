import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimContext, Workload } from '../../src/engine/context.js';
import type { EventLogEntry } from '../../src/engine/event-logs.js';
import { expectOk, runOnce, workload } from '../support/builder-helpers.js';

describe('builder: phases', () => {
  it('runs setups sequentially, runs concurrently, checks sequentially', async () => {
    const log: string[] = [];
    const phased = (name: string, ms: number): Workload => {
      const step = async (ctx: SimContext, phase: string): Promise<void> => {
        log.push(`${name}.${phase} start`);
        await ctx.time.sleep(ms);
        await ctx.task.yieldNow();
        log.push(`${name}.${phase} end`);
      };
      return {
        name,
        setup: (ctx) => step(ctx, 'setup'),
        run: (ctx) => step(ctx, 'run'),
        check: (ctx) => step(ctx, 'check'),
      };
    };
    // A is slower than B: sequential phases still finish A before starting B.
    const run = await runOnce((b) =>
      b
        .workload(phased('A', 1000))
        .workload(phased('B', 10))
        .workload({
          name: 'C',
          async run(ctx) {
            log.push('C.run start');
            await ctx.time.sleep(1);
            log.push('C.run end');
          },
        }),
    );
    expectOk(run);
    assert.deepEqual(log.slice(0, 4), [
      'A.setup start',
      'A.setup end',
      'B.setup start',
      'B.setup end',
    ]);
    assert.deepEqual(log.slice(4, 7), ['A.run start', 'B.run start', 'C.run start']);
    assert.deepEqual(log.slice(7, 10).sort(), ['A.run end', 'B.run end', 'C.run end']);
    assert.equal(log[9], 'A.run end', 'the slow run finishes last');
    assert.deepEqual(log.slice(10), [
      'A.check start',
      'A.check end',
      'B.check start',
      'B.check end',
    ]);
  });

  it('fails with settle-timeout diagnostics when a workload leaves a task sleeping forever', async () => {
    let checked = false;
    const run = await runOnce((b) =>
      b.workload({
        name: 'leaky',
        async run(ctx) {
          ctx.task.spawn('forever', async () => {
            for (;;) await ctx.time.sleep(1000);
          });
          await ctx.time.sleep(10);
        },
        async check() {
          checked = true;
        },
      }),
    );
    assert.equal(run.ok, false);
    const error = run.error ?? '';
    assert.match(error, /^settle timeout/);
    assert.ok(error.includes('10.0.0.1 leaky/forever'), error);
    assert.ok(!error.includes('leaky/run'), 'the finished run task is not listed');
    assert.ok(run.simTimeMs >= 30_000 && run.simTimeMs < 30_200, `${run.simTimeMs}`);
    assert.equal(checked, false, 'check does not run after a failed settle');
  });

  it('settles and then checks: pending workload work finishes before check', async () => {
    const log: string[] = [];
    const run = await runOnce((b) =>
      b.workload({
        name: 'tidy',
        async run(ctx) {
          ctx.task.spawn('background', async () => {
            await ctx.time.sleep(5000);
            log.push(`background done@${Math.floor(ctx.time.now() / 1000)}s`);
          });
          log.push('run done');
        },
        async check(ctx) {
          log.push(`check@${Math.floor(ctx.time.now() / 1000)}s`);
          await ctx.time.sleep(1);
          log.push('check still has time');
        },
      }),
    );
    expectOk(run);
    assert.deepEqual(log, ['run done', 'background done@5s', 'check@5s', 'check still has time']);
  });
});

describe('builder: invariants, state and timelines', () => {
  it('runs invariants after every event', async () => {
    const observed: number[] = [];
    let calls = 0;
    const run = await runOnce((b) =>
      b
        .invariantFn('sees every step', (state, simTimeMs) => {
          calls++;
          const step = state.get<{ n: number; at: number }>('step');
          if (step === undefined) return;
          if (step.at !== simTimeMs) throw new Error(`time ${simTimeMs} != ${step.at}`);
          if (observed[observed.length - 1] !== step.n) observed.push(step.n);
        })
        .workload(
          workload('stepper', async (ctx) => {
            for (let n = 1; n <= 50; n++) {
              await ctx.time.sleep(1);
              ctx.state.publish('step', { n, at: ctx.time.now() });
            }
          }),
        ),
    );
    expectOk(run);
    assert.deepEqual(
      observed,
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    assert.ok(calls >= run.events, `${calls} checks for ${run.events} events`);
  });

  it('a failing invariant fails the iteration at that point', async () => {
    let lastPublished = 0;
    const run = await runOnce((b) =>
      b
        .invariant({
          name: 'below three',
          check(state) {
            const n = state.get<number>('n') ?? 0;
            if (n >= 3) throw new Error(`n is ${n}`);
          },
        })
        .workload(
          workload('counter', async (ctx) => {
            for (let n = 1; n <= 10; n++) {
              await ctx.time.sleep(10);
              ctx.state.publish('n', n);
              lastPublished = n;
            }
          }),
        ),
    );
    assert.equal(run.ok, false);
    assert.match(run.error ?? '', /invariant "below three" violated at [\d.]+ ms: n is 3/);
    assert.equal(lastPublished, 3, 'the simulation stopped at the violation');
  });

  it('StateHandle: publish/get/has share the latest value between machines', async () => {
    const got: unknown[] = [];
    const run = await runOnce((b) =>
      b
        .processes(1, () => ({
          name: 'srv',
          async run(ctx) {
            await ctx.time.sleep(5);
            got.push(ctx.state.get<string>('config'));
            ctx.state.publish('srv', { ready: true });
            await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
          },
        }))
        .workload({
          name: 'a',
          async setup(ctx) {
            got.push(ctx.state.has('config'));
            ctx.state.publish('config', 'v1');
            ctx.state.publish('config', 'v2');
          },
          async run(ctx) {
            await ctx.time.sleep(200);
            got.push(ctx.state.get<{ ready: boolean }>('srv'));
            got.push(ctx.state.get('missing'));
          },
        }),
    );
    expectOk(run);
    assert.deepEqual(got, [false, 'v2', { ready: true }, undefined]);
  });

  it('timelines: emit in a global seq order; since/last/length/all', async () => {
    const result: Record<string, unknown> = {};
    const run = await runOnce((b) =>
      b
        .workload(
          workload('w1', async (ctx) => {
            for (let i = 0; i < 3; i++) {
              await ctx.time.sleep(10);
              ctx.emit('ops', { from: 'w1', i });
              ctx.emit('other', `w1-${i}`);
            }
          }),
        )
        .workload(
          workload('w2', async (ctx) => {
            for (let i = 0; i < 3; i++) {
              await ctx.time.sleep(15);
              ctx.emit('ops', { from: 'w2', i });
            }
            await ctx.time.sleep(100);
            const ops = ctx.eventLog<{ from: string; i: number }>('ops');
            const other = ctx.eventLog<string>('other');
            const all: EventLogEntry<unknown>[] = [...ops.all(), ...other.all()];
            result.opsLength = ops.length;
            result.otherLength = other.length;
            result.seqs = all.map((e) => e.seq).sort((a, b) => a - b);
            result.opsSorted = ops
              .all()
              .every((e, k, arr) => k === 0 || (arr[k - 1]?.seq ?? -1) < e.seq);
            result.opsTimeSorted = ops
              .all()
              .every((e, k, arr) => k === 0 || (arr[k - 1]?.timeMs ?? -1) <= e.timeMs);
            result.sources = [...new Set(ops.all().map((e) => e.source))].sort();
            result.since4 = ops.since(4).map((e) => e.event);
            result.last = ops.last()?.event;
            result.lastEqualsAllEnd = ops.last() === ops.all()[ops.length - 1];
            result.empty = [ctx.eventLog('nothing').length, ctx.eventLog('nothing').last()];
            result.otherEvents = other.all().map((e) => e.event);
            result.otherSources = other.all().map((e) => e.source);
          }),
        ),
    );
    expectOk(run);
    assert.equal(result.opsLength, 6);
    assert.equal(result.otherLength, 3);
    assert.deepEqual(result.seqs, [0, 1, 2, 3, 4, 5, 6, 7, 8], 'one counter across all timelines');
    assert.equal(result.opsSorted, true);
    assert.equal(result.opsTimeSorted, true);
    assert.deepEqual(result.sources, ['10.0.0.1', '10.0.0.2']);
    assert.equal((result.since4 as unknown[]).length, 2);
    assert.deepEqual(result.last, { from: 'w2', i: 2 });
    assert.equal(result.lastEqualsAllEnd, true);
    assert.deepEqual(result.empty, [0, undefined]);
    assert.deepEqual(result.otherEvents, ['w1-0', 'w1-1', 'w1-2']);
    assert.deepEqual(result.otherSources, ['10.0.0.1', '10.0.0.1', '10.0.0.1']);
  });
});
