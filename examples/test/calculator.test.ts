import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSucceeded } from 'moonpool';
import { calculator } from '../src/calculator/calculator.sim.js';
import { runExampleForReal } from './support/run-example.js';

describe('calculator', () => {
  it('gives every result, and a Serialization refusal for each bad request, in simulation', async () => {
    const report = await calculator.build().run();
    assert.equal(report.iterations, 50);
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}`);
    for (const msg of ['every call gives its result or its refusal', 'a refused request says why']) {
      assert.equal(report.assertions.find((a) => a.msg === msg)?.passCount, 50, msg);
    }
  });

  it('runs for real: a bad request is refused with Serialization, the server stopped at the end', async () => {
    const { code, stdout, stderr } = await runExampleForReal('calculator');
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /^\[client\] add\(2, 3\) = 5$/m);
    assert.match(stdout, /^\[client\] divide\(1, 0\) refused: Serialization: .*cannot divide by zero$/m);
    assert.match(stdout, /^\[client\] add\('two', 2\) refused: Serialization: .*expected number, received string$/m);
    assert.match(stdout, /^\[client\] 5 of 5 calls gave what they should$/m);
    // Refused requests never reached a handler.
    assert.match(stdout, /^\[server\] stopped after answering 3 requests$/m);
    assert.match(stdout, /calculator: client exited with 0, server exited with 0 after SIGTERM/);
  });
});
