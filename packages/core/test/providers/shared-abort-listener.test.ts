// SharedAbortListener with a signal that is not Node's own (a polyfill): it cannot tell whether another
// listener came after its own, so every wait gets a listener of its own and keeps its place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedAbortListener } from '../../src/index.js';

/** An AbortSignal look-alike that is no EventTarget: listeners run in the order they were added. */
class PolyfillSignal {
  aborted = false;
  reason: unknown = undefined;
  readonly listeners: (() => void)[] = [];
  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.push(listener);
  }
  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.splice(this.listeners.indexOf(listener), 1);
  }
  abort(reason: unknown): void {
    this.aborted = true;
    this.reason = reason;
    for (const listener of this.listeners.splice(0)) listener();
  }
}

describe('SharedAbortListener on a signal that is not an EventTarget', () => {
  it('gives each wait its own listener, run in order, and removes it when the wait ends', () => {
    const polyfill = new PolyfillSignal();
    const signal = polyfill as unknown as AbortSignal;
    const ran: string[] = [];
    const action = (name: string) => (aborted: AbortSignal) => ran.push(`${name}:${String(aborted.reason)}`);
    const a = action('a');
    SharedAbortListener.add(signal, a);
    polyfill.addEventListener('abort', () => ran.push('F'));
    const b = action('b');
    const ended = SharedAbortListener.add(signal, b);
    const c = action('c');
    SharedAbortListener.add(signal, c);
    assert.equal(polyfill.listeners.length, 4);
    ended.remove(b);
    assert.equal(polyfill.listeners.length, 3);
    polyfill.abort('why');
    assert.deepEqual(ran, ['a:why', 'F', 'c:why']);
  });
});
