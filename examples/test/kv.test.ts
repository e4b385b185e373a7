import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSucceeded } from 'moonpool';
import { decodeFrameAt, encodeFrame } from '../src/kv/kv-frame.js';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../src/kv/kv-messages.js';
import { KvModel } from '../src/kv/kv-model.js';
import { kv } from '../src/kv/kv.sim.js';

describe('kv protocol', () => {
  it('round-trips requests and responses through frames', () => {
    const req = { op: 'set', id: 7, key: 'k1', value: 'välue' } as const;
    const frame = encodeFrame(encodeRequest(req));
    const found = decodeFrameAt(frame, 0);
    assert.equal(found.kind, 'frame');
    if (found.kind === 'frame') assert.deepEqual(decodeRequest(found.payload), req);
    const res = { status: 'value', id: 7, value: 'x' } as const;
    assert.deepEqual(decodeResponse(encodeResponse(res)), res);
  });

  it('detects every single-bit flip, in the length as in the payload', () => {
    const frame = encodeFrame(encodeRequest({ op: 'get', id: 1, key: 'k3' }));
    for (let bit = 0; bit < frame.length * 8; bit++) {
      const copy = frame.slice();
      copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
      assert.notEqual(decodeFrameAt(copy, 0).kind, 'frame', `bit ${bit} went unnoticed`);
    }
    assert.equal(decodeFrameAt(frame.subarray(0, frame.length - 1), 0).kind, 'incomplete');
  });
});

describe('kv model', () => {
  it('rejects a value overwritten before the read began, allows concurrent ones', () => {
    const model = new KvModel('durable');
    const a = model.beginWrite('k', 'a', 0);
    model.acknowledge(a, 10);
    const b = model.beginWrite('k', 'b', 20);
    model.acknowledge(b, 30);
    model.beginWrite('k', 'c', 35); // never acknowledged: may or may not have been applied
    assert.equal(model.checkRead('k', 'b', 40, 50, []).possible, true);
    assert.equal(model.checkRead('k', 'c', 40, 50, []).possible, true);
    assert.equal(model.violation, null);
    assert.equal(model.checkRead('k', 'a', 40, 50, []).possible, false);
    assert.equal(model.checkRead('k', null, 40, 50, []).possible, false);
    assert.match(model.violation ?? '', /GET k .* returned "a"/);
  });

  it('lets a volatile server lose data at a reboot, and only then', () => {
    const model = new KvModel('volatile');
    const a = model.beginWrite('k', 'a', 5);
    model.acknowledge(a, 10);
    assert.equal(model.checkRead('k', null, 20, 30, [0]).possible, false);
    const lost = model.checkRead('k', null, 20, 30, [0, 15]);
    assert.deepEqual(lost, { possible: true, onlyThroughLoss: true, afterReboot: true });
  });
});

describe('kv simulation', () => {
  it('passes under reboots and network chaos, exercising the failure paths', async () => {
    const report = await kv.build().setIterations(8).run();
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}`);
    const byMsg = new Map(report.assertions.map((a) => [a.msg, a]));
    assert.ok((byMsg.get('get returns a possible value')?.passCount ?? 0) > 0);
    for (const msg of [
      'get hit',
      'set acknowledged',
      'request retried after reset',
      'server rebooted during request',
      'value lost in reboot',
    ]) {
      assert.equal(byMsg.get(msg)?.status, 'pass', `${msg} never happened`);
    }
  });

  it('replays a seed identically', async () => {
    const seed = 0x5eedn;
    const first = await kv.build().setDebugSeeds([seed]).run();
    const second = await kv.build().setDebugSeeds([seed]).run();
    assert.equal(first.runs[0]?.traceHash, second.runs[0]?.traceHash);
    assert.equal(first.runs[0]?.events, second.runs[0]?.events);
  });
});
