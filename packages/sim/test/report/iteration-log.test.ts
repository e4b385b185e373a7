import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TraceHash } from '../../src/kernel/trace.js';
import { IterationLog } from '../../src/report/iteration-log.js';

it('a passed iteration added from its parts reads back as the run it was, also past a growth of the columns', () => {
  const log = new IterationLog();
  const hashes: string[] = [];
  // Past 1 024 rows the columns grow: each row must still land in the column the log reads.
  for (let i = 0; i < 3000; i++) {
    const trace = new TraceHash();
    trace.add(i, 1, i, i * 7);
    hashes.push(trace.hex());
    if (i % 2 === 0) log.addPassed(BigInt(i), trace, i + 1, i / 2, 0.5);
    else {
      const run = { seed: BigInt(i), ok: true, traceHash: trace.hex(), events: i + 1, simTimeMs: i / 2, wallMs: 0.5 };
      log.add({ ...run, alwaysViolations: [] });
    }
  }
  assert.equal(log.length, 3000);
  for (const i of [0, 1, 1023, 1024, 1025, 2047, 2048, 2999]) {
    const run = log.at(i);
    assert.equal(run.seed, BigInt(i));
    assert.equal(run.traceHash, hashes[i], `row ${i}`);
    assert.equal(run.events, i + 1);
    assert.equal(run.simTimeMs, i / 2);
  }
});
