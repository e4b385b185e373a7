// What a fault injector knows of the topology: the process IPs and the IPs of each tag.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { injector, P1, P2, P3, P4, P5, quiet, sleeper } from '../support/fault-injector-helpers.js';

describe('fault injectors: topology', () => {
  it('processIps lists the processes only; ipsTagged follows builder.tags (round-robin per dimension)', async () => {
    const seen: Record<string, unknown> = {};
    let fromWorkload: unknown = null;
    const report = await quiet()
      .processes(5, sleeper)
      .tags([
        ['role', ['leader', 'follower']],
        ['dc', ['east', 'west', 'eu']],
      ])
      .fault(
        injector('topology', async (f) => {
          seen.processIps = [...f.processIps];
          for (const [k, v] of [
            ['role', 'leader'],
            ['role', 'follower'],
            ['dc', 'east'],
            ['dc', 'west'],
            ['dc', 'eu'],
            ['dc', 'mars'],
            ['zone', 'a'],
          ] as const) {
            seen[`${k}=${v}`] = f.ipsTagged(k, v);
          }
        }),
      )
      .chaosDuration(100)
      .workload({
        name: 'w',
        async run(ctx) {
          fromWorkload = ctx.topology.ipsTagged('dc', 'west');
          await ctx.time.sleep(10);
        },
      })
      .setDebugSeeds([1])
      .run();
    assert.equal(report.failedRuns, 0);
    assert.deepEqual(seen, {
      processIps: [P1, P2, P3, P4, P5],
      'role=leader': [P1, P3, P5],
      'role=follower': [P2, P4],
      'dc=east': [P1, P4],
      'dc=west': [P2, P5],
      'dc=eu': [P3],
      'dc=mars': [],
      'zone=a': [],
    });
    assert.deepEqual(fromWorkload, [P2, P5], 'the same targeting as the workloads see');
  });
});
