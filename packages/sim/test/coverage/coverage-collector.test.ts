// V8 block coverage for real, on this thread: the system under test is imported after coverage starts
// (code compiled earlier has no block counters).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { codeCoverageSupported, CoverageCollector } from '../../src/coverage/coverage-collector.js';
import { moduleSelection } from '../../src/coverage/module-filter.js';
// Types only: the module itself is imported after coverage starts.
import type * as Sut from './fixtures/branchy-sut.js';

const SUT = new URL('./fixtures/branchy-sut.js', import.meta.url).href;
// Read before the suite starts: the tests use it as soon as the describe callback awaits.
const SOURCE = await readFile(new URL(SUT), 'utf8');

describe('CoverageCollector', { skip: !codeCoverageSupported() && 'no inspector in this Node' }, async () => {
  const collector = await CoverageCollector.start(moduleSelection([SUT]));
  if (collector === null) throw new Error('coverage is supported but did not start');
  const sut = (await import(SUT)) as typeof Sut;
  collector.take();
  after(() => collector.stop());

  const ran = (entries: ReturnType<CoverageCollector['take']>, name: string): boolean =>
    entries.some((e) => e.key === `${SUT}#${sourceStart(name)}` && e.covered.length > 0);

  it('reports only the selected modules, and only what ran since the last take', () => {
    sut.handle(1, 0);
    const first = collector.take();
    assert.ok(first.length > 0);
    assert.ok(first.every((e) => e.key.startsWith(`${SUT}#`)));
    assert.ok(ran(first, 'handle'));
    assert.equal(collector.take().length, 0, 'nothing ran in between');
  });

  it('a branch run for the first time is new; the same branch again is not (takeNew)', () => {
    sut.handle(2, 0);
    assert.equal(collector.takeNew().length, 1, 'case 2 is new to this thread');
    sut.handle(2, 5);
    assert.deepEqual(collector.takeNew(), [], 'already reported');
    sut.handle(7, 5);
    assert.equal(collector.takeNew().length, 1, 'case 7 is new');
  });

  it('is exact in optimised code: a branch taken once after a hot loop is reported', () => {
    const case20 = SOURCE.indexOf('case 20:');
    const ranCase20 = (entries: ReturnType<CoverageCollector['take']>): boolean => {
      const handle = entries.find((e) => e.key === `${SUT}#${sourceStart('handle')}`);
      if (handle === undefined) return false;
      for (let i = 0; i < handle.covered.length; i += 2) {
        if ((handle.covered[i] as number) <= case20 && case20 < (handle.covered[i + 1] as number)) return true;
      }
      return false;
    };
    for (let i = 0; i < 200_000; i++) sut.handle(i % 2, i);
    assert.equal(ranCase20(collector.take()), false);
    sut.handle(20, 1);
    assert.equal(ranCase20(collector.take()), true);
  });
});

/** Offset of `export function <name>` in the compiled fixture (where V8's function range starts). */
function sourceStart(name: string): number {
  return SOURCE.indexOf(`function ${name}(`);
}
