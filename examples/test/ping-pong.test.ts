import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSucceeded } from 'moonpool';
import { pingPong } from '../src/ping-pong/ping-pong.sim.js';
import { runExampleForReal } from './support/run-example.js';

describe('ping-pong', () => {
  it('every ping gets its pong in simulation, over the default (chaotic) network', async () => {
    const report = await pingPong.build().run();
    assert.equal(report.iterations, 50);
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}`);
    assert.equal(report.assertions.find((a) => a.msg === 'every ping gets its pong')?.passCount, 50);
  });

  it('runs for real: server and client as two OS processes on loopback, the server stopped at the end', async () => {
    const { code, stdout, stderr } = await runExampleForReal('ping-pong');
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /^\[server\] listening on 127\.0\.0\.1:\d+$/m);
    assert.match(stdout, /^\[client\] ping 5: pong 5 /m);
    assert.match(stdout, /^\[client\] 5 of 5 pongs matched their ping$/m);
    assert.match(stdout, /^\[server\] stopped after 5 pings$/m);
    assert.match(stdout, /ping-pong: client exited with 0, server exited with 0 after SIGTERM/);
  });
});
