// The four delivery modes (SPEC §6.5 table) against faults in the simulator: what each gives when a
// connection fails, a server crashes and comes back or never answers, plus timeouts and AbortSignal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Endpoint, NetworkAddress } from '@moonpool/core';
import type { SimContext } from '@moonpool/sim';
import { jsonCodec, MonitorConfig, NetTransport, PeerConfig, ServiceEndpoint } from '../../src/index.js';
import { type AddReply, type AddRequest, adderAt, serveAdder } from '../support/adder.js';
import { isolate, isReplyError, outcome, simulate, sleepUntil } from '../support/simulate.js';

const monitor = MonitorConfig.default({ pingInterval: 100, pingTimeout: 200, maxToleratedTimeouts: 0 });
/** Quick to notice a dead connection and to reconnect, never gives up. */
const config = PeerConfig.default({
  initialReconnectDelay: 50,
  maxReconnectDelay: 200,
  connectionTimeout: 300,
  monitor,
});
const SEEDS = [1, 2, 3];

type Adder = ServiceEndpoint<AddRequest, AddReply>;

function client(ctx: SimContext, ip: string): { transport: NetTransport; adder: Adder } {
  const transport = NetTransport.builder(ctx.providers).peerConfig(config).build();
  return { transport, adder: adderAt(transport, ip) };
}

/** Nothing left behind by the requests made: no reply endpoint, no wait, nothing queued. */
function assertClean(transport: NetTransport, adder: Adder): void {
  assert.equal(transport.endpointCount, 0, 'reply endpoints left registered');
  assert.equal(transport.failureMonitor.waiting, 0, 'failure monitor waits left');
  assert.equal(transport.peer(adder.endpoint.address)?.metrics.reliableQueueDepth ?? 0, 0, 'requests left queued');
}

/** Replies at once unless `hold(request)`, in which case the request is kept unanswered. */
const holding = (seen: number[], hold: (a: number) => boolean) => (ctx: SimContext) =>
  serveAdder(ctx, {
    onRequest: (r) => seen.push(r.a),
    handle: (r, reply) => (hold(r.a) ? undefined : reply.send({ sum: r.a + r.b })),
  });

describe('send', () => {
  it('is lost with a connection that fails, while a getReply sent with it is resent and answered', async () => {
    const seen: number[][] = [];
    await simulate({
      seeds: SEEDS,
      server: (ctx) => serveAdder(ctx, (r) => seen.at(-1)?.push(r.a)),
      // The server is cut off from 1000 to 2500 ms: the health monitor drops the connection.
      faults: async (f) => {
        await f.time.sleep(1000);
        isolate(f, f.processIps[0] as string, 1500);
      },
      client: async (ctx, [ip]) => {
        seen.push([]);
        const { transport, adder } = client(ctx, ip as string);
        await adder.getReply({ a: 1, b: 0 });
        await sleepUntil(ctx, 1100);
        adder.send({ a: 2, b: 0 });
        assert.equal((await adder.getReply({ a: 3, b: 0 })).sum, 3);
        assert.ok(ctx.time.now() >= 2500, 'answered after the heal');
        adder.send({ a: 4, b: 0 });
        await adder.getReply({ a: 5, b: 0 });
        assertClean(transport, adder);
        await transport.close();
      },
    });
    assert.deepEqual(seen, Array(SEEDS.length).fill([1, 3, 4, 5]));
  });
});

describe('tryGetReply', () => {
  it('MaybeDelivered when the connection fails while it is out, and at once while the endpoint is known failed', async () => {
    const seen: number[] = [];
    await simulate({
      seeds: SEEDS,
      server: holding(seen, (a) => a >= 100),
      client: async (ctx, [ip]) => {
        seen.length = 0;
        const { transport, adder } = client(ctx, ip as string);
        await adder.getReply({ a: 1, b: 0 });
        const out = adder.tryGetReply({ a: 100, b: 0 });
        await ctx.time.sleep(50);
        const crashAt = ctx.time.now();
        ctx.cluster.reboot(ip as string, 'Crash', { recoveryDelayMs: 1000 });
        await assert.rejects(out, isReplyError('MaybeDelivered'));
        assert.ok(ctx.time.now() - crashAt < 1, 'as soon as the connection failed');
        // The connection dropped, but the address is not known failed yet: the next call tries, and
        // its reconnect fails (the server is still down); the one after takes the fast path.
        await assert.rejects(adder.tryGetReply({ a: 2, b: 0 }), isReplyError('MaybeDelivered'));
        const at = ctx.time.now();
        await assert.rejects(adder.tryGetReply({ a: 2, b: 0 }), isReplyError('MaybeDelivered'));
        assert.equal(ctx.time.now(), at, 'the fast path does not wait, nor send');
        // Back up: a reliable request reconnects; tryGetReply is answered again.
        await sleepUntil(ctx, 3000);
        assert.equal((await adder.getReply({ a: 3, b: 0 })).sum, 3);
        assert.equal((await adder.tryGetReply({ a: 4, b: 0 })).sum, 4);
        assertClean(transport, adder);
        await transport.close();
      },
    });
    // The request out when the server crashed had arrived ("maybe delivered" is the truth) and was
    // not sent again to the rebooted server; the fast-path one never left.
    assert.deepEqual(seen, [1, 100, 3, 4]);
  });

  // A dropped connection is a disconnection, not a failure of the address: only a failed connect
  // marks it failed. So tryGetReply, which alone never reconnects, tries again after a crash.
  it('is answered once the server is back, with no other traffic to reconnect', async () => {
    await simulate({
      server: (ctx) => serveAdder(ctx),
      client: async (ctx, [ip]) => {
        const { transport, adder } = client(ctx, ip as string);
        await adder.getReply({ a: 1, b: 0 });
        ctx.cluster.reboot(ip as string, 'Crash', { recoveryDelayMs: 500 });
        await ctx.time.sleep(5000); // the server has been back for 4.5 s
        assert.equal((await adder.tryGetReply({ a: 2, b: 0 })).sum, 2);
        await transport.close();
      },
    });
  });
});

describe('getReply', () => {
  it('survives a partition: the request out is resent on the new connection (the server sees it twice) and answered', async () => {
    const seen: number[][] = [];
    const answeredAt: number[] = [];
    await simulate({
      seeds: SEEDS,
      // A request seen for the first time is answered 800 ms later; a duplicate at once.
      server: (ctx) =>
        serveAdder(ctx, {
          onRequest: (r) => seen.at(-1)?.push(r.a),
          handle: (r, reply) => {
            const first = seen.at(-1)?.filter((a) => a === r.a).length === 1;
            if (first) void ctx.time.sleep(800).then(() => reply.send({ sum: r.a + r.b }));
            else reply.send({ sum: r.a + r.b });
          },
        }),
      // Cut off from 1100 to 2100 ms, while the server holds the request sent at 1000.
      faults: async (f) => {
        await f.time.sleep(1100);
        isolate(f, f.processIps[0] as string, 1000);
      },
      client: async (ctx, [ip]) => {
        seen.push([]);
        const { transport, adder } = client(ctx, ip as string);
        await adder.getReply({ a: 1, b: 0 });
        await sleepUntil(ctx, 1000);
        assert.equal((await adder.getReply({ a: 7, b: 0 })).sum, 7);
        answeredAt.push(ctx.time.now());
        assert.equal(transport.peer(adder.endpoint.address)?.metrics.reconnects, 1);
        assertClean(transport, adder);
        await transport.close();
      },
    });
    assert.deepEqual(seen, Array(SEEDS.length).fill([1, 7, 7]));
    for (const at of answeredAt) assert.ok(at >= 2100 && at < 2600, `answered at ${at} ms`);
  });

  it('Timeout when never answered, after exactly timeoutMs; sent once when nothing failed', async () => {
    const seen: number[] = [];
    await simulate({
      server: holding(seen, (a) => a >= 100),
      client: async (ctx, [ip]) => {
        const { transport, adder } = client(ctx, ip as string);
        const at = ctx.time.now();
        await assert.rejects(adder.getReply({ a: 100, b: 0 }, { timeoutMs: 1000 }), isReplyError('Timeout'));
        assert.equal(ctx.time.now() - at, 1000);
        assertClean(transport, adder);
        await transport.close();
      },
    });
    assert.deepEqual(seen, [100]);
  });
});

describe('getReplyUnlessFailedFor', () => {
  it('MaybeDelivered once the endpoint has been failed for the duration; a reply if it comes back sooner', async () => {
    const seen: number[] = [];
    let boots = 0;
    let firstBoot = 0;
    const rows: string[] = [];
    await simulate({
      seeds: SEEDS,
      // The first two incarnations hold requests from 100 on; the third answers everything.
      server: (ctx) => {
        const boot = ++boots;
        return holding(seen, (a) => a >= 100 && boot - firstBoot < 2)(ctx);
      },
      client: async (ctx, [ip]) => {
        seen.length = 0;
        firstBoot = boots; // the server's first boot of this seed came before the client
        const { transport, adder } = client(ctx, ip as string);
        await adder.getReply({ a: 1, b: 0 });

        // Down for 5 s: given up 1 s after the failure.
        const held = outcome(adder.getReplyUnlessFailedFor({ a: 100, b: 0 }, 1000));
        await ctx.time.sleep(50);
        const crashAt = ctx.time.now();
        ctx.cluster.reboot(ip as string, 'Crash', { recoveryDelayMs: 5000 });
        rows.push(await held);
        // A dropped connection is not yet a failure of the address: the failure starts when the
        // reconnect fails (within a connect's time of the crash), and lasts 1 s.
        const waited = ctx.time.now() - crashAt;
        assert.ok(waited >= 1000 && waited <= 1000 + 500, `gave up ${waited} ms after the crash`);

        // Back for a while, the client idle since: an old failure does not count against a new request.
        await sleepUntil(ctx, 10_000);
        rows.push(String((await adder.getReplyUnlessFailedFor({ a: 2, b: 0 }, 1000)).sum));

        // Down for 300 ms only: the request is resent to the next incarnation, which answers it.
        const back = adder.getReplyUnlessFailedFor({ a: 101, b: 0 }, 1000);
        await ctx.time.sleep(50);
        ctx.cluster.reboot(ip as string, 'Crash', { recoveryDelayMs: 300 });
        rows.push(String((await back).sum));

        // An address nothing listens on: failed from the request's start.
        const nowhere = new ServiceEndpoint<AddRequest, AddReply>(
          transport,
          new Endpoint(new NetworkAddress(ip as string, 9), adder.endpoint.token),
          jsonCodec,
        );
        const at = ctx.time.now();
        rows.push(await outcome(nowhere.getReplyUnlessFailedFor({ a: 3, b: 0 }, 500)));
        assert.equal(Math.round(ctx.time.now() - at), 500);
        assertClean(transport, adder);
        await transport.close();
      },
    });
    assert.deepEqual(rows, Array(SEEDS.length).fill(['MaybeDelivered', '2', '101', 'MaybeDelivered']).flat());
    assert.deepEqual(seen, [1, 100, 2, 101, 101]);
  });
});

describe('timeouts and AbortSignal', () => {
  it('every waiting mode rejects Timeout at timeoutMs, and an aborted signal gives the request up', async () => {
    const seen: number[] = [];
    const rows: string[] = [];
    await simulate({
      server: holding(seen, (a) => a >= 100),
      client: async (ctx, [ip]) => {
        const { transport, adder } = client(ctx, ip as string);
        const timed = async (promise: Promise<unknown>): Promise<string> => {
          const at = ctx.time.now();
          const kind = await outcome(promise);
          return `${kind} after ${Math.round(ctx.time.now() - at)}`;
        };
        rows.push(await timed(adder.tryGetReply({ a: 100, b: 0 }, { timeoutMs: 250 })));
        rows.push(await timed(adder.getReply({ a: 101, b: 0 }, { timeoutMs: 250 })));
        rows.push(await timed(adder.getReplyUnlessFailedFor({ a: 102, b: 0 }, 1000, { timeoutMs: 250 })));

        for (const mode of ['tryGetReply', 'getReply', 'getReplyUnlessFailedFor'] as const) {
          const stop = new AbortController();
          const request = { a: 110, b: 0 };
          const options = { signal: stop.signal };
          const call =
            mode === 'getReplyUnlessFailedFor'
              ? adder.getReplyUnlessFailedFor(request, 1000, options)
              : adder[mode](request, options);
          void ctx.time.sleep(100).then(() => stop.abort(new Error(`stop ${mode}`)));
          const at = ctx.time.now();
          await assert.rejects(call, { message: `stop ${mode}` });
          assert.equal(ctx.time.now() - at, 100);
        }
        // Aborted before the call: nothing is sent.
        const aborted = new AbortController();
        aborted.abort();
        rows.push(await timed(adder.getReply({ a: 120, b: 0 }, { signal: aborted.signal })));
        rows.push(await timed(adder.tryGetReply({ a: 121, b: 0 }, { signal: aborted.signal })));

        await assert.rejects(adder.getReply({ a: 1, b: 0 }, { timeoutMs: 0 }), RangeError);
        await assert.rejects(adder.getReply({ a: 1, b: 0 }, { timeoutMs: Number.NaN }), RangeError);
        await assert.rejects(adder.getReplyUnlessFailedFor({ a: 1, b: 0 }, -1), RangeError);
        assert.equal((await adder.getReply({ a: 5, b: 0 })).sum, 5);
        assertClean(transport, adder);
        await transport.close();
      },
    });
    assert.deepEqual(rows, ['Timeout after 250', 'Timeout after 250', 'Timeout after 250', 'AbortError after 0', 'AbortError after 0']);
    assert.deepEqual(seen, [100, 101, 102, 110, 110, 110, 5]);
  });
  it('requests in flight together time out each at its own deadline, whatever order they were made in', async () => {
    const seen: number[] = [];
    const rows: string[] = [];
    await simulate({
      seeds: SEEDS,
      server: holding(seen, (a) => a >= 100),
      client: async (ctx, [ip]) => {
        const { transport, adder } = client(ctx, ip as string);
        const started = ctx.time.now();
        const timed = (promise: Promise<unknown>, name: string): Promise<void> =>
          outcome(promise).then((kind) => {
            rows.push(`${name} ${kind} after ${Math.round(ctx.time.now() - started)}`);
          });
        await Promise.all([
          timed(adder.getReply({ a: 100, b: 0 }, { timeoutMs: 900 }), 'late'),
          // Made after the late one, due before it: the single timer is armed earlier.
          timed(adder.getReply({ a: 101, b: 0 }, { timeoutMs: 300 }), 'early'),
          // Answered at once: the timer armed for it is not needed, the others still fire on time.
          timed(adder.getReply({ a: 1, b: 0 }, { timeoutMs: 100 }), 'answered'),
          timed(adder.tryGetReply({ a: 102, b: 0 }, { timeoutMs: 600 }), 'middle'),
        ]);
        assertClean(transport, adder);
        await transport.close();
      },
    });
    const expected = ['answered ok', 'early Timeout after 300', 'middle Timeout after 600', 'late Timeout after 900'];
    assert.equal(rows.length, SEEDS.length * expected.length);
    for (let i = 0; i < SEEDS.length; i++) {
      const got = rows.slice(i * expected.length, (i + 1) * expected.length);
      assert.deepEqual(got.map((row) => row.replace(/^answered ok.*/, 'answered ok')), expected);
    }
  });
});
