// A typed service served and called between simulated machines: validated requests and responses,
// a refused request answered `Serialization`, a throwing handler answered `BrokenPromise`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  defineService,
  method,
  NetTransport,
  PeerConfig,
  serve,
  serviceClient,
} from '../../src/index.js';
import { isReplyError, PORT, simulate } from '../support/simulate.js';

const Calculator = defineService({
  id: 0xca1cn,
  name: 'Calculator',
  methods: {
    add: method({
      request: z.object({ a: z.number(), b: z.number() }),
      response: z.object({ sum: z.number() }),
    }),
    divide: method<{ n: bigint; d: bigint }, { q: bigint }>(),
    // Its response schema refuses what its handler returns.
    broken: method({ response: z.object({ ok: z.literal(true) }) }),
  },
});

describe('serve and serviceClient', () => {
  it('answers validated requests; refuses bad ones; a throwing handler breaks its promise', async () => {
    const outcomes: string[] = [];
    await simulate({
      seeds: [1, 2],
      server: async (ctx) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        await transport.listen(`${ctx.myIp}:${PORT}`);
        serve(transport, Calculator, {
          add: ({ a, b }) => ({ sum: a + b }),
          divide: ({ n, d }) => {
            if (d === 0n) throw new Error('division by zero');
            return { q: n / d };
          },
          broken: () => ({ ok: false }) as never,
        });
        await new Promise<never>(() => undefined);
      },
      client: async (ctx, [ip]) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        const calc = serviceClient(transport, Calculator, `${ip as string}:${PORT}`);
        outcomes.push(`sum ${(await calc.add.getReply({ a: 2, b: 3 })).sum}`);
        outcomes.push(`q ${(await calc.divide.getReply({ n: 10n ** 20n, d: 3n })).q}`);
        await assert.rejects(calc.add.getReply({ a: 'two', b: 3 } as never), (err: unknown) => {
          assert.ok(isReplyError('Serialization')(err));
          assert.match((err as Error).message, /Calculator\.add/);
          return true;
        });
        await assert.rejects(calc.divide.tryGetReply({ n: 1n, d: 0n }), (err: unknown) => {
          assert.ok(isReplyError('BrokenPromise')(err));
          assert.match((err as Error).message, /division by zero/);
          return true;
        });
        await assert.rejects(calc.broken.getReply(undefined), isReplyError('Serialization'));
        outcomes.push('done');
        await transport.close();
      },
    });
    assert.deepEqual(outcomes, ['sum 5', 'q 33333333333333333333', 'done', 'sum 5', 'q 33333333333333333333', 'done']);
  });

  it('method tokens are stable: a server not serving yet, or a handler that threw, is tried again', async () => {
    const outcomes: string[] = [];
    await simulate({
      server: async (ctx) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        await transport.listen(`${ctx.myIp}:${PORT}`);
        // Listening but not serving for a while: requests meet "endpoint not found".
        await ctx.time.sleep(100);
        let calls = 0;
        serve(transport, Calculator, {
          add: ({ a, b }) => ({ sum: a + b }),
          divide: ({ n, d }) => {
            if (++calls === 1) throw new Error('first call fails');
            return { q: n / d };
          },
          broken: () => ({ ok: true as const }),
        });
        await new Promise<never>(() => undefined);
      },
      client: async (ctx, [ip]) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        const calc = serviceClient(transport, Calculator, `${ip as string}:${PORT}`);
        await assert.rejects(calc.add.getReply({ a: 1, b: 1 }), isReplyError('EndpointNotFound'));
        await ctx.time.sleep(200);
        outcomes.push(`sum ${(await calc.add.getReply({ a: 1, b: 1 })).sum}`);
        outcomes.push(`try ${(await calc.add.tryGetReply({ a: 2, b: 2 })).sum}`);
        await assert.rejects(calc.divide.getReply({ n: 4n, d: 2n }), isReplyError('BrokenPromise'));
        outcomes.push(`q ${(await calc.divide.getReply({ n: 4n, d: 2n })).q}`);
        await transport.close();
      },
    });
    assert.deepEqual(outcomes, ['sum 2', 'try 4', 'q 2']);
  });

  it('serve refuses handlers that do not cover the definition', () => {
    const transport = { localAddress: null } as unknown as NetTransport;
    assert.throws(
      () => serve(transport, Calculator, { add: () => ({ sum: 0 }) } as never),
      /serve\(Calculator\): no handler for method 'divide'/,
    );
  });
});
