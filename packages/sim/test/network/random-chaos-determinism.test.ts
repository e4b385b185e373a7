// Determinism under random network chaos (builder .randomNetwork()): the same seed gives the same
// trace, faults and outcomes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IoError, TimeoutError } from '@moonpool/core';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { WorkloadCount } from '../../src/engine/counts.js';
import { FAULT_LOG } from '../../src/chaos/fault-events.js';
import { hammingDistance, patternBytes } from '../support/bytes.js';
import { echoServer, PORT, readExactly } from '../support/network-fault-helpers.js';

describe('network faults: determinism under random chaos (builder .randomNetwork())', () => {
  /** Clients talking to random servers through whatever the seed's chaos throws at them. */
  function chatty(log: string[]): SimulationBuilder {
    return new SimulationBuilder()
      .randomNetwork()
      .processes([2, 3], echoServer)
      .workloads(WorkloadCount.Fixed(3), (i) => ({
        name: `client${i}`,
        async run(ctx) {
          const ips = ctx.topology.processIps;
          const outcomes: string[] = [];
          await ctx.time.sleep(5);
          for (let round = 0; round < 12; round++) {
            const ip = ips[ctx.random.randomRange(0, ips.length)] as string;
            try {
              const s = await ctx.time.timeout(3000, ctx.network.connect(`${ip}:${PORT}`));
              const msg = patternBytes(ctx.random.randomRange(1, 3000), round + 1);
              await ctx.time.timeout(3000, s.writeAll(msg));
              const echoed = await ctx.time.timeout(3000, readExactly(s, msg.length));
              outcomes.push(hammingDistance(echoed, msg) === 0 ? 'ok' : 'corrupt');
              await s.close();
            } catch (err) {
              outcomes.push(err instanceof IoError ? err.code : err instanceof TimeoutError ? 'timeout' : 'error');
            }
            await ctx.time.sleep(ctx.random.randomRange(1, 50));
          }
          ctx.emit('outcomes', outcomes.join(','));
        },
        async check(ctx) {
          if (i !== 0) return;
          const faults = ctx.eventLog<{ type: string }>(FAULT_LOG).all().map((e) => e.event.type);
          const outcomes = ctx.eventLog<string>('outcomes').all().map((e) => `${e.source}:${e.event}`);
          log.push(`${faults.join('+')}|${outcomes.join(';')}`);
        },
      }));
  }

  it('the same seed gives the same trace hash, faults and outcomes twice', async () => {
    const seeds = [11, 12, 13, 14, 15, 16];
    const logs: string[][] = [[], []];
    const hashes: string[][] = [];
    for (const log of logs) {
      const report = await chatty(log).setDebugSeeds(seeds).run();
      for (const run of report.runs) assert.ok(run.ok, `seed ${run.seed}: ${run.error ?? ''}`);
      hashes.push(report.runs.map((r) => `${r.traceHash}/${r.events}/${r.simTimeMs}`));
    }
    assert.deepEqual(hashes[0], hashes[1]);
    assert.deepEqual(logs[0], logs[1]);
    assert.equal(new Set(hashes[0]).size, seeds.length, 'different seeds, different executions');
    assert.ok((logs[0] ?? []).some((l) => !l.startsWith('|')), 'some seed injected network faults');
  });
});
