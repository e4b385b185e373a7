import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { Process, SimContext } from '../../src/engine/context.js';
import { ClientId, ProcessCount, WorkloadCount } from '../../src/engine/counts.js';
import { expectOk, runOnce, runSeeds, workload } from '../support/builder-helpers.js';

interface Seen {
  myIp: string;
  name: string;
  tags: Record<string, string>;
  processIps: readonly string[];
  workloadIps: readonly string[];
  clientId: number;
}

function snapshot(ctx: SimContext, name: string): Seen {
  return {
    myIp: ctx.myIp,
    name,
    tags: { ...ctx.topology.tags },
    processIps: [...ctx.topology.processIps],
    workloadIps: [...ctx.topology.workloadIps],
    clientId: ctx.clientId,
  };
}

function idleProcess(name: string, seen: Seen[]): Process {
  return {
    name,
    async run(ctx) {
      seen.push(snapshot(ctx, name));
      await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
    },
  };
}

const seeds = (n: number): bigint[] => Array.from({ length: n }, (_, i) => BigInt(i + 1000));

describe('builder: addresses and topology', () => {
  it('gives processes 10.0.1.x and workloads 10.0.0.x', async () => {
    const seen: Seen[] = [];
    const run = await runOnce((b) =>
      b
        .processes(3, () => idleProcess('srv', seen))
        .workloads(2, (i) =>
          workload(`client${i}`, async (ctx) => {
            seen.push(snapshot(ctx, `client${i}`));
          }),
        ),
    );
    expectOk(run);
    const byName = seen.map((s) => `${s.name} ${s.myIp}`).sort();
    assert.deepEqual(byName, [
      'client0 10.0.0.1',
      'client1 10.0.0.2',
      'srv 10.0.1.1',
      'srv 10.0.1.2',
      'srv 10.0.1.3',
    ]);
    for (const s of seen) {
      assert.deepEqual(s.processIps, ['10.0.1.1', '10.0.1.2', '10.0.1.3']);
      assert.deepEqual(s.workloadIps, ['10.0.0.1', '10.0.0.2']);
    }
  });

  it('assigns tags round-robin per dimension and answers ipsTagged', async () => {
    const seen: Seen[] = [];
    const queries: Record<string, string[]> = {};
    const run = await runOnce((b) =>
      b
        .processes(5, () => idleProcess('node', seen))
        .tags([
          ['role', ['leader', 'follower']],
          ['dc', ['east', 'west', 'eu']],
        ])
        .workload(
          workload('observer', async (ctx) => {
            seen.push(snapshot(ctx, 'observer'));
            const t = ctx.topology;
            queries.leader = t.ipsTagged('role', 'leader');
            queries.follower = t.ipsTagged('role', 'follower');
            queries.east = t.ipsTagged('dc', 'east');
            queries.west = t.ipsTagged('dc', 'west');
            queries.eu = t.ipsTagged('dc', 'eu');
            queries.none = t.ipsTagged('dc', 'mars');
            queries.tagsOf3 = Object.entries(t.tagsOf('10.0.1.3')).map(([k, v]) => `${k}=${v}`);
          }),
        ),
    );
    expectOk(run);
    const tagsByIp = Object.fromEntries(
      seen.filter((s) => s.name === 'node').map((s) => [s.myIp, s.tags]),
    );
    assert.deepEqual(tagsByIp, {
      '10.0.1.1': { role: 'leader', dc: 'east' },
      '10.0.1.2': { role: 'follower', dc: 'west' },
      '10.0.1.3': { role: 'leader', dc: 'eu' },
      '10.0.1.4': { role: 'follower', dc: 'east' },
      '10.0.1.5': { role: 'leader', dc: 'west' },
    });
    assert.deepEqual(seen.find((s) => s.name === 'observer')?.tags, {});
    assert.deepEqual(queries, {
      leader: ['10.0.1.1', '10.0.1.3', '10.0.1.5'],
      follower: ['10.0.1.2', '10.0.1.4'],
      east: ['10.0.1.1', '10.0.1.4'],
      west: ['10.0.1.2', '10.0.1.5'],
      eu: ['10.0.1.3'],
      none: [],
      tagsOf3: ['role=leader', 'dc=eu'],
    });
    assert.throws(() => new SimulationBuilder().tags([['role', []]]), RangeError);
  });

  it('peer(name) finds the IP of a process or workload by name', async () => {
    const answers: Record<string, string | undefined> = {};
    const seen: Seen[] = [];
    const run = await runOnce((b) =>
      b
        .processes(2, () => idleProcess('store', seen))
        .processes(1, () => idleProcess('coordinator', seen))
        .workload(
          workload('alice', async (ctx) => {
            answers.store = ctx.peer('store');
            answers.coordinator = ctx.peer('coordinator');
            answers.bob = ctx.peer('bob');
            answers.alice = ctx.peer('alice');
            answers.nobody = ctx.peer('nobody');
            answers.stores = ctx.topology.peers('store').join(',');
          }),
        )
        .workload(workload('bob', async () => {})),
    );
    expectOk(run);
    assert.deepEqual(answers, {
      store: '10.0.1.1',
      coordinator: '10.0.1.3',
      bob: '10.0.0.2',
      alice: '10.0.0.1',
      nobody: undefined,
      stores: '10.0.1.1,10.0.1.2',
    });
  });
});

describe('builder: counts and client ids', () => {
  it('draws ProcessCount ranges per seed, inclusive of both ends', async () => {
    const sizes: number[] = [];
    const report = await runSeeds(
      new SimulationBuilder()
        .processes([2, 4], () => idleProcess('p', []))
        .workload(
          workload('count', async (ctx) => {
            sizes.push(ctx.topology.processIps.length);
          }),
        ),
      seeds(60),
    );
    assert.equal(report.failedRuns, 0);
    assert.equal(sizes.length, 60);
    assert.deepEqual([...new Set(sizes)].sort(), [2, 3, 4]);
    // Same seed, same size.
    const again: number[] = [];
    await runSeeds(
      new SimulationBuilder()
        .processes(ProcessCount.Range(2, 4), () => idleProcess('p', []))
        .workload(
          workload('count', async (ctx) => {
            again.push(ctx.topology.processIps.length);
          }),
        ),
      seeds(60),
    );
    assert.deepEqual(again, sizes);
    assert.throws(() => ProcessCount.Range(3, 2), RangeError);
    assert.throws(() => ProcessCount.Fixed(-1), RangeError);
  });

  it('draws WorkloadCount ranges per seed, half-open', async () => {
    const sizes: number[] = [];
    const report = await runSeeds(
      new SimulationBuilder().workloads(WorkloadCount.Random(1, 4), (i) =>
        workload(`w${i}`, async (ctx) => {
          if (i === 0) sizes.push(ctx.topology.workloadIps.length);
        }),
      ),
      seeds(60),
    );
    assert.equal(report.failedRuns, 0);
    assert.equal(sizes.length, 60);
    assert.deepEqual([...new Set(sizes)].sort(), [1, 2, 3]);
    assert.throws(() => WorkloadCount.Random(2, 2), RangeError);
  });

  it('ClientId.Fixed(base) gives instance i the id base + i; the default is Fixed(0)', async () => {
    const ids: string[] = [];
    const run = await runOnce((b) =>
      b
        .workloadsWithClientId(3, ClientId.Fixed(10), (i) =>
          workload(`fixed${i}`, async (ctx) => {
            ids.push(`fixed${i}=${ctx.clientId}`);
          }),
        )
        .workloads(2, (i) =>
          workload(`default${i}`, async (ctx) => {
            ids.push(`default${i}=${ctx.clientId}`);
          }),
        )
        .workloadWithClientId(
          ClientId.Fixed(7),
          workload('single', async (ctx) => {
            ids.push(`single=${ctx.clientId}`);
          }),
        ),
    );
    expectOk(run);
    assert.deepEqual(ids.sort(), [
      'default0=0',
      'default1=1',
      'fixed0=10',
      'fixed1=11',
      'fixed2=12',
      'single=7',
    ]);
  });

  it('ClientId.RandomRange draws ids within its half-open range', async () => {
    const ids: number[] = [];
    const report = await runSeeds(
      new SimulationBuilder().workloadsWithClientId(4, ClientId.RandomRange(5, 9), () =>
        workload('r', async (ctx) => {
          ids.push(ctx.clientId);
        }),
      ),
      seeds(20),
    );
    assert.equal(report.failedRuns, 0);
    assert.equal(ids.length, 80);
    assert.deepEqual([...new Set(ids)].sort(), [5, 6, 7, 8]);
    assert.throws(() => ClientId.RandomRange(3, 3), RangeError);
  });
});
