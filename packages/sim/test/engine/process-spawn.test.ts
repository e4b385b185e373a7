import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Process, ProcessSpawn } from '../../src/engine/context.js';
import { expectOk, runOnce, workload } from '../support/builder-helpers.js';

/** A process that idles until shutdown. */
function idle(name: string): Process {
  return {
    name,
    async run(ctx) {
      await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
    },
  };
}

const show = (s: ProcessSpawn): string =>
  `${s.index} ${s.ip} ${Object.entries(s.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;

describe('process factory: { index, ip, tags }', () => {
  it('tells each factory call its index in its group, its IP and its tags, the same at every boot', async () => {
    const stores: string[] = [];
    const coordinators: string[] = [];
    const run = await runOnce((b) =>
      b
        .processes(3, (spawn) => {
          stores.push(show(spawn));
          // A role picked when the process is built, not inside run.
          return idle(spawn.index === 0 ? 'primary' : 'replica');
        })
        .processes(2, (spawn) => {
          coordinators.push(show(spawn));
          return idle('coordinator');
        })
        .tags([['dc', ['east', 'west']]])
        .workload(
          workload('rebooter', async (ctx) => {
            assert.deepEqual(ctx.topology.peers('primary'), ['10.0.1.1']);
            assert.deepEqual(ctx.topology.peers('replica'), ['10.0.1.2', '10.0.1.3']);
            ctx.cluster.reboot('10.0.1.2', 'Crash');
            ctx.cluster.reboot('10.0.1.5', 'Crash');
            await ctx.time.sleep(20_000);
          }),
        ),
    );
    expectOk(run);
    // Tags are assigned round-robin over all processes; the index counts within the group.
    assert.deepEqual(stores, ['0 10.0.1.1 dc=east', '1 10.0.1.2 dc=west', '2 10.0.1.3 dc=east', '1 10.0.1.2 dc=west']);
    assert.deepEqual(coordinators, ['0 10.0.1.4 dc=west', '1 10.0.1.5 dc=east', '1 10.0.1.5 dc=east']);
  });

  it('gives empty tags without .tags(...), and factories taking no argument keep working', async () => {
    const spawns: ProcessSpawn[] = [];
    let plainCalls = 0;
    const run = await runOnce((b) =>
      b
        .processes(2, (spawn) => {
          spawns.push(spawn);
          return idle('a');
        })
        .processes(1, () => {
          plainCalls++;
          return idle('b');
        })
        .workload(workload('noop', async () => {})),
    );
    expectOk(run);
    assert.deepEqual(spawns.map(show), ['0 10.0.1.1 ', '1 10.0.1.2 ']);
    assert.ok(Object.isFrozen(spawns[0]?.tags));
    assert.equal(plainCalls, 1);
  });
});
