// Automatic partitions: drawn at partitionProbability per operation, shaped by partitionStrategy,
// one at a time, each healed after partitionDuration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChaosConfiguration } from '../../src/config/chaos-configuration.js';
import { durationRange } from '../../src/config/duration-range.js';
import { bytes } from '../support/bytes.js';
import { type NetMachine, quietNetwork, runNet } from '../support/network-harness.js';
import { A, B, C, inRange, pair, us } from '../support/network-fault-helpers.js';

const FIVE = [A, B, C, '10.0.1.4', '10.0.1.5'];

interface PartitionEdge {
  from: string;
  to: string;
  untilMs: number | null;
  atMs: number;
}

/** Triggers automatic partitions with writes spaced past each partition, grouped by start time. */
async function autoPartitions(
  strategy: ChaosConfiguration['partitionStrategy'],
  probability: number,
  seed: number,
  spacingMs = 101,
): Promise<{ groups: PartitionEdge[][]; triggers: number; healed: number }> {
  const config = quietNetwork({
    partitionProbability: probability,
    partitionDuration: durationRange(50, 100),
    partitionStrategy: strategy,
  });
  let triggers = 0;
  const h = await runNet({ config, seed }, async (h) => {
    const [a, b] = FIVE.map((ip) => h.machine(ip)) as [NetMachine, NetMachine];
    triggers++; // the connect draws too (it may wait for the partition it started)
    const { client } = await pair(a, b);
    for (let i = 0; i < 60; i++) {
      await a.time.sleep(spacingMs); // by default past any earlier automatic partition
      await client.write(bytes('x'));
      triggers++;
    }
    await a.time.sleep(200);
  });
  const byTime = new Map<number, PartitionEdge[]>();
  for (const { event, timeMs } of h.faultsOf('PartitionCreated')) {
    const edge = { from: event.from, to: event.to, untilMs: event.untilMs, atMs: timeMs };
    byTime.set(timeMs, [...(byTime.get(timeMs) ?? []), edge]);
  }
  return { groups: [...byTime.values()], triggers, healed: h.faultsOf('PartitionHealed').length };
}

describe('network faults: automatic partitions', () => {
  it('Random: one random pair of distinct machines per partition', async () => {
    const { groups, triggers } = await autoPartitions('Random', 1, 3);
    assert.equal(groups.length, triggers);
    const pairs = new Set<string>();
    for (const g of groups) {
      assert.equal(g.length, 1);
      const { from, to } = g[0] as { from: string; to: string };
      assert.ok(FIVE.includes(from) && FIVE.includes(to) && from !== to);
      pairs.add([from, to].sort().join('|'));
    }
    assert.ok(pairs.size >= 5, `only ${pairs.size} distinct pairs`);
  });

  it('IsolateSingle: one machine cut from all the others', async () => {
    const { groups, triggers } = await autoPartitions('IsolateSingle', 1, 4);
    assert.equal(groups.length, triggers);
    const isolated = new Set<string>();
    for (const g of groups) {
      assert.equal(g.length, FIVE.length - 1);
      const froms = new Set(g.map((e) => e.from));
      assert.equal(froms.size, 1);
      const [victim] = froms as Set<string>;
      isolated.add(victim as string);
      assert.deepEqual(new Set(g.map((e) => e.to)), new Set(FIVE.filter((ip) => ip !== victim)));
      assert.equal(new Set(g.map((e) => e.untilMs)).size, 1, 'one partition, one heal time');
    }
    assert.ok(isolated.size >= 3, 'the victim varies');
  });

  it('UniformSize: a group of 1..n-1 machines cut from the rest (complete bipartite cut)', async () => {
    const { groups, triggers } = await autoPartitions('UniformSize', 1, 5);
    assert.equal(groups.length, triggers);
    const sizes = new Set<number>();
    for (const g of groups) {
      const froms = new Set(g.map((e) => e.from));
      const tos = new Set(g.map((e) => e.to));
      assert.ok([...froms].every((ip) => !tos.has(ip)), 'the group and the rest are disjoint');
      assert.deepEqual(new Set([...froms, ...tos]), new Set(FIVE));
      assert.equal(g.length, froms.size * tos.size, 'every group member is cut from every other machine');
      inRange(froms.size, 1, FIVE.length - 1, 'group size');
      sizes.add(froms.size);
    }
    assert.ok(sizes.size >= 3, `group sizes seen: ${[...sizes].join(',')}`);
  });

  it('at most one automatic partition at a time', async () => {
    const { groups, triggers } = await autoPartitions('UniformSize', 1, 8, 10);
    assert.ok(groups.length >= 4 && groups.length < triggers / 4, `${groups.length} partitions for ${triggers} writes`);
    for (let i = 1; i < groups.length; i++) {
      const prev = groups[i - 1]?.[0] as PartitionEdge;
      const next = groups[i]?.[0] as PartitionEdge;
      assert.ok(next.atMs >= (prev.untilMs ?? Number.POSITIVE_INFINITY), 'a partition started while one was active');
      inRange(us((prev.untilMs ?? 0) - prev.atMs), 50, 100, 'partitionDuration (ms)');
    }
  });

  it('happen at partitionProbability (40 %) of operations, never at 0', async () => {
    const some = await autoPartitions('Random', 0.4, 6);
    inRange(some.groups.length / some.triggers, 0.18, 0.62, 'automatic partition rate');
    const none = await autoPartitions('UniformSize', 0, 6);
    assert.equal(none.groups.length, 0);
  });

  it('every automatic PartitionCreated is followed by its PartitionHealed', async () => {
    const { groups, healed } = await autoPartitions('IsolateSingle', 1, 4);
    assert.equal(healed, groups.reduce((n, g) => n + g.length, 0));
  });
});
