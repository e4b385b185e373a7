// loadBalance's choice in the simulator: the closest tier first, a farther one only while no closer
// alternative is available, and within a tier the fewest smoothed requests out in the queue model.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Alternatives,
  AtMostOnce,
  Distance,
  loadBalance,
  ModelHolder,
  QueueModel,
} from '../../src/index.js';
import { type AddRequest } from '../support/adder.js';
import { answer, clientTransport, replica, type Seen, stableAdder, whoSaw } from '../support/replicas.js';
import { simulate, sleepUntil } from '../support/simulate.js';

const req = (a: number): AddRequest => ({ a, b: 0 });

describe('loadBalance: best first', () => {
  it('sends to the closest tier; falls back to a farther one only while none closer is available, and back', async () => {
    const log: Seen[] = [];
    await simulate({
      servers: 3,
      seeds: [1, 2],
      server: replica(log),
      client: async (ctx, ips) => {
        log.length = 0;
        const answeredAfter: number[] = [];
        const [remote, sameDc, sameMachine] = ips as [string, string, string];
        const transport = clientTransport(ctx);
        // Given farthest first: the order comes from the distances.
        const alternatives = Alternatives.of([
          { target: stableAdder(transport, remote), distance: Distance.Remote },
          { target: stableAdder(transport, sameDc), distance: Distance.SameDc },
          { target: stableAdder(transport, sameMachine), distance: Distance.SameMachine },
        ]);
        const model = new QueueModel(ctx.time);
        // Give an alternative up once its address has been failed for 200 ms (MaybeDelivered, then
        // retried). Not 0: an address never contacted counts as failed until its first connect.
        const options = { unlessFailedForMs: 200 };
        const call = async (a: number): Promise<void> => {
          const started = ctx.time.now();
          const reply = await loadBalance(transport, alternatives, req(a), AtMostOnce.False, model, undefined, options);
          assert.equal(reply.sum, a);
          answeredAfter.push(Math.round(ctx.time.now() - started));
        };
        for (const a of [1, 2, 3]) await call(a);

        // The closest crashes: the next call tries it, and moves on once its reconnect has failed...
        ctx.cluster.reboot(sameMachine, 'Crash', { recoveryDelayMs: 4000 });
        await call(4);
        // ...and from then on it is known failed: the next tier is used at once.
        await call(5);
        ctx.cluster.reboot(sameDc, 'Crash', { recoveryDelayMs: 60_000 });
        await call(6);
        await call(7);

        // The closest is back; the monitor learns it from any traffic to it (it never probes).
        await sleepUntil(ctx, 6000);
        await stableAdder(transport, sameMachine).getReply(req(100));
        await call(8);
        assert.equal(model.outstanding(alternatives.endpoint(0)), 0);
        await transport.close();
        assert.deepEqual(
          [1, 2, 3, 4, 5, 6, 7, 8].map((a) => whoSaw(log, a)),
          [[sameMachine], [sameMachine], [sameMachine], [sameDc], [sameDc], [remote], [remote], [sameMachine]],
        );
        // At once while the closest available answers. A call that found its alternative dead waited
        // for the reconnect (50 ms), refused at once, then for the address to be failed 200 ms; the
        // next one did not try it.
        assert.deepEqual(answeredAfter, [0, 0, 0, 250, 0, 250, 0, 0]);
      },
    });
  });
});

describe('loadBalance: the queue model', () => {
  it('sends to the alternative of the tier with the fewest smoothed requests out (exact numbers on simulated time)', async () => {
    const E_1 = 0.36787944117144233; // e^-1
    const E_HALF = 0.6065306597126334; // e^-0.5
    const log: Seen[] = [];
    await simulate({
      servers: 3,
      seeds: [1, 2, 3],
      server: replica(log),
      client: async (ctx, ips) => {
        log.length = 0;
        const [a, b, far] = ips as [string, string, string];
        const transport = clientTransport(ctx);
        const alternatives = Alternatives.of([
          { target: stableAdder(transport, far), distance: Distance.Remote },
          { target: stableAdder(transport, a), distance: Distance.SameDc },
          { target: stableAdder(transport, b), distance: Distance.SameDc },
        ]);
        assert.equal(alternatives.countBest, 2);
        const [atA, atB] = [alternatives.endpoint(0), alternatives.endpoint(1)];
        assert.equal(atA.address.ip, a);
        // Connected first, without the model, so that the calls below take microseconds.
        for (const ip of ips) await stableAdder(transport, ip).getReply(req(0));
        const model = new QueueModel(ctx.time);
        const call = async (n: number): Promise<string> => {
          await loadBalance(transport, alternatives, req(n), AtMostOnce.False, model);
          return whoSaw(log, n).join();
        };

        // A has had one request out (another caller's) for 1 s: B is chosen, the farther tier never.
        const t0 = ctx.time.now();
        const out = new ModelHolder(model, atA);
        await ctx.time.sleep(1000);
        assert.equal(ctx.time.now() - t0, 1000);
        assert.ok(Math.abs(model.smoothedOutstanding(atA) - (1 - E_1)) < 1e-12); // 0.632
        assert.equal(model.smoothedOutstanding(atB), 0);
        // From now on A has nothing out and B two (steps seen as time passes, not at their instant).
        out.release();
        const onB = [new ModelHolder(model, atB), new ModelHolder(model, atB)];
        const halfASecond = ctx.time.sleep(500);
        assert.equal(await call(1), b);

        // Half a second later A's one has faded below B's two: A is chosen.
        await halfASecond;
        const smoothA = (1 - E_1) * E_HALF; // 0.383
        const smoothB = 2 * (1 - E_HALF); // 0.787, plus what call 1 left (microseconds out): < 1e-4
        assert.ok(Math.abs(model.smoothedOutstanding(atA) - smoothA) < 1e-12);
        assert.ok(Math.abs(model.smoothedOutstanding(atB) - smoothB) < 1e-4);
        assert.equal(await call(2), a);
        for (const h of onB) h.release();

        // Every request recorded was released; the last one to A took microseconds.
        assert.equal(model.outstanding(atA), 0);
        assert.equal(model.outstanding(atB), 0);
        const latency = model.lastLatency(atA);
        assert.ok(latency !== undefined && latency > 0 && latency < 1, `latency ${latency}`);
        await ctx.time.sleep(5000); // both faded to about zero
        assert.ok(model.smoothedOutstanding(atA) < 0.01 && model.smoothedOutstanding(atB) < 0.01);
        await transport.close();
      },
    });
  });

  it('spreads concurrent callers to the less loaded replica: a slow one gets fewer requests', async () => {
    const log: Seen[] = [];
    const SLOW_MS = 100;
    await simulate({
      servers: 2,
      seeds: [1, 2, 3],
      // The first server answers after 100 ms, the second at once.
      server: replica(log, (ctx, r, reply) => {
        if (ctx.myIp === ctx.topology.processIps[0]) void ctx.time.sleep(SLOW_MS).then(() => answer(ctx, r, reply));
        else answer(ctx, r, reply);
      }),
      client: async (ctx, ips) => {
        log.length = 0;
        const [slow, fast] = ips as [string, string];
        const transport = clientTransport(ctx);
        const alternatives = Alternatives.of(
          [slow, fast].map((ip) => ({ target: stableAdder(transport, ip), distance: Distance.SameDc })),
        );
        const model = new QueueModel(ctx.time);
        let n = 0;
        // 4 callers, each making a call every 20 ms for 4 s, whatever its previous call is doing.
        const calls: Promise<unknown>[] = [];
        for (let t = 0; t < 4000; t += 20) {
          for (let c = 0; c < 4; c++) {
            calls.push(loadBalance(transport, alternatives, req(++n), AtMostOnce.False, model));
          }
          await ctx.time.sleep(20);
        }
        await Promise.all(calls);
        const toSlow = log.filter((s) => s.ip === slow).length;
        const toFast = log.filter((s) => s.ip === fast).length;
        assert.equal(toSlow + toFast, n);
        // Without the model (ties drawn at random) each would get about half.
        assert.ok(toFast > 4 * toSlow, `fast ${toFast}, slow ${toSlow}`);
        // And the model does not starve the slow one: its estimate fades while it is not used.
        assert.ok(toSlow > 0, 'the slow replica got some');
        await transport.close();
      },
    });
  });
});

describe('loadBalance: ties', () => {
  it('draws among equals at random: without a model both replicas of a tier are used, the same way for a seed', async () => {
    const log: Seen[] = [];
    const orders: string[] = [];
    await simulate({
      servers: 3,
      seeds: [7, 7, 8],
      server: replica(log),
      client: async (ctx, ips) => {
        log.length = 0;
        const transport = clientTransport(ctx);
        const alternatives = Alternatives.of([
          { target: stableAdder(transport, ips[0] as string), distance: Distance.SameDc },
          { target: stableAdder(transport, ips[1] as string), distance: Distance.SameDc },
          { target: stableAdder(transport, ips[2] as string), distance: Distance.Remote },
        ]);
        for (let a = 1; a <= 40; a++) await loadBalance(transport, alternatives, req(a), AtMostOnce.False, null);
        const used = log.map((s) => ips.indexOf(s.ip));
        assert.ok(used.includes(0) && used.includes(1), `both of the closest tier: ${used.join('')}`);
        assert.ok(!used.includes(2), 'never the farther tier');
        orders.push(used.join(''));
        await transport.close();
      },
    });
    assert.equal(orders[0], orders[1], 'one seed, one sequence of choices');
    assert.notEqual(orders[0], orders[2], 'another seed, other choices');
  });
});
