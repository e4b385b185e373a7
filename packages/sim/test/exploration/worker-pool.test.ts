// The exploration pool runs batches on the main thread and a worker, the next batches of a splitpoint
// sent ahead: whatever ran ahead, and whoever ran it, every result is the one the main thread alone
// gives from the same start state; a batch sent ahead is used only when it comes next unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AssertionStore, type Recipe } from '@moonpool/explorer';
import { ExplorationPool } from '../../src/exploration/worker-pool.js';
import { type TimelineResult, TimelineReplayer } from '../../src/exploration/timeline-replayer.js';
import { branchyBuilder } from '../coverage/fixtures/branchy.sim.js';

const SOURCE = { moduleUrl: new URL('../coverage/fixtures/branchy.sim.js', import.meta.url).href, exportName: 'branchyBuilder' };
const SEED = 7n;
const never = (): boolean => false;

/** Children `from` to `from + count - 1` of the root's first splitpoint (as `Multiverse` makes them). */
function children(split: { count: number }, from: number, count: number): Recipe[] {
  return Array.from({ length: count }, (_, k) => [{ count: split.count, seed: BigInt(1000 + from + k) }]);
}

/** What the main thread alone gives for `recipes` from `ledger`'s base. */
async function alone(ledger: AssertionStore, recipes: readonly Recipe[]): Promise<TimelineResult[]> {
  const replayer = new TimelineReplayer(branchyBuilder().toPlan());
  replayer.syncWith(ledger);
  const results: TimelineResult[] = [];
  for (const recipe of recipes) results.push((await replayer.run(SEED, recipe)).result);
  return results;
}

describe('ExplorationPool', () => {
  // One pool for both tests (a worker takes a while to load); the first leaves nothing sent ahead.
  let pool: ExplorationPool;
  before(async () => {
    pool = await ExplorationPool.start(2, SOURCE, null);
    await pool.started();
  });
  after(() => pool.close());

  it('uses a batch sent ahead when it comes next, and runs it again after the start state changed', async () => {
    const ledger = new AssertionStore();
    const local = new TimelineReplayer(branchyBuilder().toPlan());
    local.syncWith(ledger);
    const root = await local.run(SEED, []);
    const split = root.result.outcome.splitpoints[0];
    assert.ok(split, 'the root timeline has a splitpoint');
    type Four = [Recipe[], Recipe[], Recipe[], Recipe[]];
    const [b0, b1, b2, b3] = [0, 40, 80, 120].map((from) => children(split, from, 40)) as Four;

    const run = (batch: Recipe[], upcoming: Recipe[][]) =>
      pool.run(local, SEED, ledger, batch, null, never, () => upcoming);
    assert.deepEqual((await run(b0, [b1, b2])).results, await alone(ledger, b0));
    assert.deepEqual(pool.ahead, { sent: 2, used: 0, cancelled: 0 });
    // b1 comes next from the same start state: what ran of it ahead is its result.
    assert.deepEqual((await run(b1, [b2, b3])).results, await alone(ledger, b1));
    assert.deepEqual(pool.ahead, { sent: 3, used: 1, cancelled: 0 });

    // The root's discovery merged: the start state changed, so b2 and b3, sent ahead from the old one, are cancelled.
    ledger.mergeBatch([root.result.news], [local.takeSum()]);
    const changed = await run(b2, []);
    assert.deepEqual(pool.ahead, { sent: 3, used: 1, cancelled: 2 });
    assert.deepEqual(changed.results, await alone(ledger, b2));
  });

  it('cancels the batches sent ahead when another batch comes next', async () => {
    const ledger = new AssertionStore();
    const local = new TimelineReplayer(branchyBuilder().toPlan());
    local.syncWith(ledger);
    const split = (await local.run(SEED, [])).result.outcome.splitpoints[0];
    assert.ok(split);
    const [b0, b1, other] = [0, 40, 500].map((from) => children(split, from, 40)) as [Recipe[], Recipe[], Recipe[]];
    const earlier = { ...pool.ahead };
    await pool.run(local, SEED, ledger, b0, null, never, () => [b1]);
    const results = (await pool.run(local, SEED, ledger, other, null, never, () => [])).results;
    assert.deepEqual(pool.ahead, { sent: earlier.sent + 1, used: earlier.used, cancelled: earlier.cancelled + 1 });
    assert.deepEqual(results, await alone(ledger, other));
  });
});
