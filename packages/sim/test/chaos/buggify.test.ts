import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buggify, buggifyWithProb } from '@moonpool/core';
import { BuggifyState } from '../../src/chaos/buggify.js';
import { SimRng } from '../../src/kernel/rng.js';
import { newSimulation as newSim, withSimulation as withSim } from '../support/in-simulation.js';

describe('buggify', () => {
  it('is false outside a simulation', () => {
    assert.equal(buggify('site'), false);
    assert.equal(buggifyWithProb('site', 1), false);
  });

  it('rejects probabilities outside [0, 1]', () => {
    assert.throws(() => new BuggifyState({ activationProbability: 1.5 }), RangeError);
    assert.throws(() => new BuggifyState({ firingProbability: -0.1 }), RangeError);
    assert.throws(() => new BuggifyState({ firingProbability: Number.NaN }), RangeError);
  });

  it('activates about half the sites and fires about a quarter of active calls', () => {
    const state = new BuggifyState();
    const rng = new SimRng(7);
    const iterations = 4000;
    const callsPerIteration = 20;
    let activations = 0;
    let activeCalls = 0;
    let fired = 0;
    for (let i = 0; i < iterations; i++) {
      state.beginIteration();
      for (let c = 0; c < callsPerIteration; c++) {
        const f = state.fires('site', rng);
        if (state.isActive('site')) activeCalls++;
        if (f) fired++;
      }
      if (state.isActive('site')) activations++;
    }
    const activationRate = activations / iterations;
    const firingRate = fired / activeCalls;
    assert.ok(activationRate > 0.45 && activationRate < 0.55, `activation ${activationRate}`);
    assert.ok(firingRate > 0.23 && firingRate < 0.27, `firing ${firingRate}`);
  });

  it('an inactive site never fires and draws only once per iteration', () => {
    const state = new BuggifyState({ activationProbability: 0 });
    const rng = new SimRng(3);
    for (let i = 0; i < 10; i++) assert.equal(state.fires('s', rng), false);
    assert.equal(rng.calls, 1);
    state.beginIteration();
    state.fires('s', rng);
    assert.equal(rng.calls, 2);
  });

  it('an active site draws once to activate and once per call', () => {
    const state = new BuggifyState({ activationProbability: 1, firingProbability: 1 });
    const rng = new SimRng(3);
    for (let i = 0; i < 5; i++) assert.equal(state.fires('s', rng), true);
    assert.equal(rng.calls, 6);
  });

  it('keeps a site active for the whole iteration, and per site', () => {
    const state = new BuggifyState();
    const rng = new SimRng(11);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      state.beginIteration();
      for (const site of ['a', 'b']) {
        state.fires(site, rng);
        const first = state.isActive(site);
        for (let c = 0; c < 5; c++) {
          state.fires(site, rng);
          assert.equal(state.isActive(site), first);
        }
      }
      seen.add(`${state.isActive('a')}/${state.isActive('b')}`);
    }
    // Sites are decided independently: all four combinations occur.
    assert.equal(seen.size, 4);
  });

  it('uses the per-call probability of buggifyWithProb', () => {
    const state = new BuggifyState({ activationProbability: 1 });
    const sim = newSim(5, state);
    const fired = withSim(sim, () => {
      let always = 0;
      let never = 0;
      for (let i = 0; i < 100; i++) {
        if (buggifyWithProb('always', 1)) always++;
        if (buggifyWithProb('never', 0)) never++;
      }
      return { always, never };
    });
    assert.deepEqual(fired, { always: 100, never: 0 });
  });

  it('when disabled, never fires and draws nothing', () => {
    const sim = newSim(5, new BuggifyState({ enabled: false }));
    withSim(sim, () => {
      for (let i = 0; i < 100; i++) assert.equal(buggify('x'), false);
    });
    assert.equal(sim.rng.calls, 0);
    sim.buggify.enabled = true;
    withSim(sim, () => buggify('x'));
    assert.ok(sim.rng.calls >= 1);
  });

  it('is deterministic for a seed', () => {
    const trace = (seed: bigint) => {
      const sim = newSim(seed);
      return withSim(sim, () => {
        const out: boolean[] = [];
        for (let i = 0; i < 50; i++) {
          sim.buggify.beginIteration();
          for (const site of ['kv.write', 'kv.read', 'net.delay']) out.push(buggify(site));
        }
        return { out, calls: sim.rng.calls };
      });
    };
    assert.deepEqual(trace(123n), trace(123n));
    assert.notDeepEqual(trace(123n).out, trace(124n).out);
  });
});
