// defineSimulation: build() must return a builder, and a wrong value is named clearly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineSimulation, SimulationBuilder } from '../src/index.js';

describe('defineSimulation', () => {
  it('build() returns the builder, named after the simulation', () => {
    const sim = defineSimulation({ name: 'named', build: () => new SimulationBuilder() });
    assert.equal(sim.build().toPlan().name, 'named');
  });

  const wrong: [string, () => unknown, RegExp][] = [
    ['undefined', () => undefined, /got undefined$/],
    ['null', () => null, /got null$/],
    ['a plain object', () => ({}), /got a plain object$/],
    ['a Promise', async () => new SimulationBuilder(), /got a Promise \(build\(\) must not be async/],
    ['a function', () => () => new SimulationBuilder(), /got a function/],
    ['a number', () => 42, /got number$/],
    ['another class', () => new Map(), /got an instance of Map$/],
  ];
  for (const [what, build, detail] of wrong) {
    it(`build() returning ${what} is a TypeError that says what build() must return`, () => {
      const sim = defineSimulation({ name: 'wrong', build: build as () => SimulationBuilder });
      assert.throws(
        () => sim.build(),
        (err: Error) => {
          assert.ok(err instanceof TypeError);
          assert.match(err.message, /^simulation 'wrong': build\(\) must return a SimulationBuilder, got /);
          assert.match(err.message, detail);
          assert.doesNotMatch(err.message, /is not a function/);
          return true;
        },
      );
    });
  }
});
