import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSucceeded, type StorageFile } from 'moonpool';
import { kvDurable, kvDurableNosync } from '../src/kv-durable/kv-durable.sim.js';
import { encodeEntry } from '../src/kv-durable/wal-entry.js';
import { recoverLog } from '../src/kv-durable/wal-recovery.js';

/** A read-only file over `content`; `flipReads` reads come back with their first byte flipped. */
function fakeFile(content: Uint8Array, flipReads = 0): StorageFile {
  const unsupported = (): never => {
    throw new Error('not used by recovery');
  };
  return {
    readAt: (position, length) => {
      const out = content.slice(position, position + length);
      if (flipReads > 0 && out.length > 0) {
        flipReads--;
        out[0] = (out[0] as number) ^ 0x01;
      }
      return Promise.resolve(out);
    },
    size: () => Promise.resolve(content.length),
    writeAt: unsupported,
    read: unsupported,
    write: unsupported,
    seek: unsupported,
    syncAll: unsupported,
    syncData: unsupported,
    setLen: unsupported,
    close: unsupported,
  };
}

function log(...records: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}

const r1 = encodeEntry({ seq: 1, key: 'a', value: '1' });
const r2 = encodeEntry({ seq: 2, key: 'b', value: '2' });
const r3 = encodeEntry({ seq: 3, key: 'a', value: null });

describe('write-ahead log recovery', () => {
  it('replays every record of an intact log', async () => {
    const recovered = await recoverLog(fakeFile(log(r1, r2, r3)));
    assert.deepEqual([...recovered.entries], [['b', '2']]);
    assert.equal(recovered.replayed, 3);
    assert.equal(recovered.damagedBytes, 0);
  });

  it('stops at a torn record and reports the tail to cut off', async () => {
    const torn = r3.slice();
    torn[torn.length - 1] = (torn[torn.length - 1] as number) ^ 0x80;
    for (const tail of [r3.subarray(0, 5), torn]) {
      const recovered = await recoverLog(fakeFile(log(r1, r2, tail)));
      assert.deepEqual([...recovered.entries], [['a', '1'], ['b', '2']]);
      assert.equal(recovered.end, r1.length + r2.length);
      assert.equal(recovered.damagedBytes, tail.length);
    }
  });

  it('reads again rather than cutting off good records after a read fault', async () => {
    const recovered = await recoverLog(fakeFile(log(r1, r2, r3), 2));
    assert.equal(recovered.replayed, 3);
    assert.equal(recovered.damagedBytes, 0);
  });

  it('rejects a valid record out of sequence', async () => {
    const recovered = await recoverLog(fakeFile(log(r1, r3)));
    assert.equal(recovered.replayed, 1);
    assert.equal(recovered.damagedBytes, r3.length);
  });
});

describe('kv-durable simulation', () => {
  it('keeps every acknowledged write across crashes and disk faults', async () => {
    const report = await kvDurable.build().setIterations(8).run();
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}`);
    const byMsg = new Map(report.assertions.map((a) => [a.msg, a]));
    assert.ok((byMsg.get('acknowledged write survives reboot')?.passCount ?? 0) > 0);
    for (const msg of ['wal replayed records after reboot', 'wal compacted', 'server rebooted during request']) {
      assert.equal(byMsg.get(msg)?.status, 'pass', `${msg} never happened`);
    }
  });

  it('replays a seed identically', async () => {
    const seed = 0x5eedn;
    const first = await kvDurable.build().setDebugSeeds([seed]).run();
    const second = await kvDurable.build().setDebugSeeds([seed]).run();
    assert.equal(first.runs[0]?.traceHash, second.runs[0]?.traceHash);
    assert.equal(first.runs[0]?.events, second.runs[0]?.events);
  });

  it('catches the write-ahead log that acknowledges before syncing, reproducibly', async () => {
    const report = await kvDurableNosync.build().setIterations(20).run();
    const failing = report.runs.find((r) => !r.ok);
    assert.ok(failing !== undefined, 'no seed lost an acknowledged write in 20 iterations');
    assert.match(failing.error ?? '', /its server rebooted since the last acknowledged write/);
    assert.ok(report.alwaysViolations.some((v) => v.includes('acknowledged write survives reboot')));

    const again = await kvDurableNosync.build().setDebugSeeds([failing.seed]).run();
    assert.equal(again.failedRuns, 1);
    assert.equal(again.runs[0]?.traceHash, failing.traceHash);
    assert.equal(again.runs[0]?.error, failing.error);
  });
});
