// Restoring a loaded store after a timeline (what a worker does between timelines instead of loading
// the batch's start state again), and the cached base the ledger hands out until it changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssertionStore, DeltaSum, type StoreState } from '../src/index.js';
import { populated } from './support/store-state.js';

/** A timeline that reaches, creates, improves and warns about a bit of everything. */
function busyTimeline(store: AssertionStore, variant: number): void {
  store.recordBool('Always', variant % 2 === 0, 'always');
  store.recordBool('Sometimes', true, `fresh-${variant}`);
  store.recordReachable('reachable');
  store.recordNumeric('NumericSometimes', 'gt', 7 + variant, 100, 'numeric-gt');
  store.recordNumeric('NumericAlways', 'le', 3n - BigInt(variant), 100n, 'numeric-le-big');
  store.recordSometimesAll('all', { a: true, b: variant > 0, c: true, [`new-${variant}`]: true });
  store.recordEach('each', { room: 'a', floor: 1 }, { hp: 3, gold: 5 + variant });
  store.recordEach('each', { room: 'b', floor: 2 });
  store.recordEach('each', { room: `n${variant}`, floor: 9 }, { hp: variant });
  store.recordEach(`each-${variant}`, { k: variant });
  // A kind clash: a new warning.
  store.recordReachable('always');
  store.recordBool('Always', true, `clash-${variant}`);
  store.recordReachable(`clash-${variant}`);
}

/** The same store state as `importState(state)` left it: the whole state, results, warnings. */
function snapshot(store: AssertionStore) {
  const news = store.timelineNews();
  return { state: store.exportState(), results: store.results(), warnings: store.warnings(), news };
}

describe('AssertionStore.restoreLoaded', () => {
  for (const [name, load] of [
    ['whole state', (s: AssertionStore) => s.exportState()],
    ['base', (s: AssertionStore) => s.exportBase()],
  ] as const) {
    it(`puts back the loaded ${name} exactly, after any timeline`, () => {
      const start: StoreState = load(populated());
      const reference = new AssertionStore();
      reference.importState(start);
      const expected = snapshot(reference);
      const store = new AssertionStore();
      store.importState(start);
      for (let variant = 0; variant < 4; variant++) {
        busyTimeline(store, variant);
        store.restoreLoaded();
        assert.deepEqual(snapshot(store), expected, `after timeline ${variant}`);
      }
    });
  }

  it('gives each timeline the delta and news it would have on a freshly loaded store', () => {
    const start = populated().exportBase();
    const restored = new AssertionStore();
    restored.importState(start);
    for (let variant = 0; variant < 4; variant++) {
      const fresh = new AssertionStore();
      fresh.importState(start);
      busyTimeline(fresh, variant);
      busyTimeline(restored, variant);
      assert.deepEqual(restored.exportDelta(), fresh.exportDelta());
      assert.deepEqual(restored.timelineNews(), fresh.timelineNews());
      restored.restoreLoaded();
    }
  });

  it('adds a timeline\'s delta to a sum as adding its exportDelta would', () => {
    const start = populated().exportBase();
    const direct = new DeltaSum();
    const viaDelta = new DeltaSum();
    const store = new AssertionStore();
    store.importState(start);
    for (let variant = 0; variant < 4; variant++) {
      busyTimeline(store, variant);
      store.addDeltaTo(direct);
      viaDelta.add(store.exportDelta());
      store.restoreLoaded();
    }
    assert.deepEqual(direct.take(), viaDelta.take());
  });

    it('keeps discoveries judged against the loaded state: a bucket made by one timeline is new to the next', () => {
    const store = new AssertionStore();
    store.importState(populated().exportBase());
    store.recordEach('each', { room: 'q', floor: 4 });
    assert.equal(store.timelineNews().discoveries.length, 1);
    store.restoreLoaded();
    store.recordEach('each', { room: 'q', floor: 4 });
    assert.deepEqual(
      store.timelineNews().created.map((c) => [c.kind, c.msg, c.kind === 'bucket' ? c.key : '']),
      [['bucket', 'each', '{"floor":4,"room":"q"}']],
    );
    assert.equal(store.timelineNews().discoveries.length, 1);
  });
});

describe('AssertionStore.exportBase caching', () => {
  it('hands out the same object until something that decides discoveries changes', () => {
    const ledger = populated();
    const base = ledger.exportBase();
    assert.equal(ledger.exportBase(), base);
    // Counts alone do not change the base.
    ledger.mergeBatch([{ created: [], discoveries: [], warnings: [] }], [
      { slots: [{ msg: 'always', kind: 'Always', pass: 3, fail: 0, triggered: false, frontier: 0 }] },
    ]);
    assert.equal(ledger.exportBase(), base);
    // A merge that triggers a slot does.
    ledger.mergeBatch([{ created: [], discoveries: [{ kind: 'trigger', msg: 'sometimes-false' }], warnings: [] }], []);
    const next = ledger.exportBase();
    assert.notEqual(next, base);
    assert.deepEqual(next, freshBase(ledger));
  });

  it('always equals a base computed afresh, whatever changed (merges, records, seeds)', () => {
    const ledger = populated();
    const runner = new AssertionStore();
    for (let variant = 0; variant < 4; variant++) {
      runner.importState(ledger.exportBase());
      busyTimeline(runner, variant);
      ledger.mergeBatch([runner.timelineNews()], [runner.exportDelta()]);
      assert.deepEqual(ledger.exportBase(), freshBase(ledger), `after merge ${variant}`);
      ledger.recordNumeric('NumericAlways', 'le', -10 - variant, 100, 'numeric-le-big');
      assert.deepEqual(ledger.exportBase(), freshBase(ledger), `after a record ${variant}`);
    }
    ledger.prepareNextSeed();
    assert.deepEqual(ledger.exportBase(), freshBase(ledger), 'after prepareNextSeed');
  });
});

describe('AssertionStore.exportBaseSince / applyBase', () => {
  it('brings a store holding an earlier base to the current one, sending only the slots that changed', () => {
    const ledger = populated();
    const synced = new AssertionStore();
    let version = -1;
    const sync = () => {
      const change = ledger.exportBaseSince(version);
      synced.applyBase(change);
      version = change.version;
      return change;
    };
    assert.equal(sync().full, true, 'the first change is whole');
    const runner = new AssertionStore();
    for (let variant = 0; variant < 4; variant++) {
      runner.importState(ledger.exportBase());
      busyTimeline(runner, variant);
      busyTimeline(synced, variant);
      synced.restoreLoaded();
      ledger.mergeBatch([runner.timelineNews()], [runner.exportDelta()]);
      const change = sync();
      assert.equal(change.full, false);
      assert.ok(change.slots.length < ledger.exportBase().slots.length, 'only what changed');
      assert.deepEqual(synced.exportState(), wholeFrom(ledger.exportBase()), `after merge ${variant}`);
    }
    // Counts alone change nothing: nothing to send.
    const unchanged = ledger.baseVersion;
    ledger.mergeBatch([{ created: [], discoveries: [], warnings: [] }], [
      { slots: [{ msg: 'always', kind: 'Always', pass: 3, fail: 0, triggered: false, frontier: 0 }] },
    ]);
    assert.equal(ledger.baseVersion, unchanged);
    ledger.prepareNextSeed();
    sync();
    assert.deepEqual(synced.exportState(), wholeFrom(ledger.exportBase()), 'after prepareNextSeed');
  });
});

/** The whole state of a store loaded with `base`. */
function wholeFrom(base: StoreState): StoreState {
  const store = new AssertionStore();
  store.importState(base);
  return store.exportState();
}

/** The base of a store with the same whole state, computed by a store that has no cache yet. */
function freshBase(store: AssertionStore): StoreState {
  const copy = new AssertionStore();
  copy.importState(store.exportState());
  return copy.exportBase();
}
