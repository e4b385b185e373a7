// FailureMonitor: reactive address and endpoint status, its signals, and the permanent-failure cap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Endpoint, NetworkAddress, type TimeProvider, UID, wellKnownUid } from '@moonpool/core';
import { FailureMonitor, MAX_PERMANENTLY_FAILED } from '../../src/index.js';

function clock(): TimeProvider & { advance(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    timer: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: () => Promise.reject(new Error('not used')),
    timeout: () => Promise.reject(new Error('not used')),
  };
}

const ADDRESS = new NetworkAddress('10.0.0.1', 4500);
const endpoint = (second: bigint) => new Endpoint(ADDRESS, new UID(7n, second));
const settled = async (p: Promise<void>): Promise<boolean> => {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('FailureMonitor', () => {
  it('an address never seen is failed, but not known to have failed', () => {
    const fm = new FailureMonitor(clock());
    assert.equal(fm.state(endpoint(1n)), 'failed');
    assert.equal(fm.isKnownFailed(endpoint(1n)), false);
    assert.equal(fm.failedFor(ADDRESS), null);
  });

  it('setStatus drives state, failedFor and the waits', async () => {
    const time = clock();
    const fm = new FailureMonitor(time);
    fm.setStatus(ADDRESS, 'available');
    assert.equal(fm.state(endpoint(1n)), 'available');
    const failure = fm.onDisconnectOrFailure(endpoint(1n));
    const change = fm.onStateChanged(endpoint(1n));
    assert.equal(await settled(failure), false);
    time.advance(5);
    fm.setStatus(ADDRESS, 'failed');
    assert.equal(await settled(failure), true);
    assert.equal(await settled(change), true);
    time.advance(40);
    assert.equal(fm.failedFor(ADDRESS), 40);
    assert.equal(fm.isKnownFailed(endpoint(1n)), true);
    // Known failed: the wait is over at once.
    assert.equal(await settled(fm.onDisconnectOrFailure(endpoint(1n))), true);
    assert.equal(fm.waiting, 0);
  });

  it('notifyDisconnect wakes failure waits without marking the address failed', async () => {
    const fm = new FailureMonitor(clock());
    fm.setStatus(ADDRESS, 'available');
    const wait = fm.onDisconnect(ADDRESS);
    fm.notifyDisconnect(ADDRESS);
    assert.equal(await settled(wait), true);
    assert.equal(fm.state(endpoint(1n)), 'available');
  });

  it('a withdrawn wait never settles and is not kept', async () => {
    const fm = new FailureMonitor(clock());
    fm.setStatus(ADDRESS, 'available');
    const stop = new AbortController();
    const wait = fm.onDisconnectOrFailure(endpoint(1n), stop.signal);
    assert.equal(fm.waiting, 1);
    stop.abort();
    assert.equal(fm.waiting, 0);
    fm.setStatus(ADDRESS, 'failed');
    assert.equal(await settled(wait), false);
  });

  it('endpointNotFound fails one endpoint for good, not its address, and not a well-known one', async () => {
    const fm = new FailureMonitor(clock());
    fm.setStatus(ADDRESS, 'available');
    const gone = fm.onEndpointNotFound(endpoint(1n));
    fm.endpointNotFound(endpoint(1n));
    assert.equal(await settled(gone), true);
    assert.equal(fm.state(endpoint(1n)), 'failed');
    assert.equal(fm.isPermanentlyFailed(endpoint(1n)), true);
    assert.equal(fm.state(endpoint(2n)), 'available');
    const wellKnown = new Endpoint(ADDRESS, wellKnownUid(3));
    fm.endpointNotFound(wellKnown);
    assert.equal(fm.isPermanentlyFailed(wellKnown), false);
  });

  it(`past ${MAX_PERMANENTLY_FAILED} permanently failed endpoints the list is cleared, with a warning`, () => {
    const warnings: string[] = [];
    const fm = new FailureMonitor(clock(), (w) => warnings.push(w));
    for (let i = 0; i < MAX_PERMANENTLY_FAILED; i++) fm.endpointNotFound(endpoint(BigInt(i)));
    assert.equal(fm.isPermanentlyFailed(endpoint(0n)), true);
    assert.deepEqual(warnings, []);
    fm.endpointNotFound(endpoint(BigInt(MAX_PERMANENTLY_FAILED)));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /100000 endpoints were marked permanently failed; the list was cleared/);
    assert.equal(fm.isPermanentlyFailed(endpoint(0n)), false);
    assert.equal(fm.isPermanentlyFailed(endpoint(BigInt(MAX_PERMANENTLY_FAILED))), true);
  });
});
