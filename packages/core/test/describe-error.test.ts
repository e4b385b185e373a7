import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError, IoError } from '../src/index.js';

test('an error is described by its stack, which names where it was thrown', () => {
  const err = new TypeError('bad input');
  const text = describeError(err);
  assert.equal(text, err.stack);
  assert.ok(text.startsWith('TypeError: bad input\n'));
  assert.match(text, /describe-error\.test\.(ts|js)/);
});

test('without its stack, an error is described by its name and message', () => {
  const err = new IoError('EPIPE', 'write after close');
  delete err.stack;
  assert.equal(describeError(err), 'IoError: EPIPE: write after close');
});

test('{ stack: false } gives the message alone', () => {
  assert.equal(describeError(new RangeError('too big'), { stack: false }), 'too big');
  assert.equal(describeError(new IoError('ENOENT', 'gone'), { stack: false }), 'ENOENT: gone');
  assert.equal(describeError(new Error(''), { stack: false }), '');
});

test('other thrown values are converted with String, with or without the stack option', () => {
  for (const options of [undefined, { stack: true }, { stack: false }]) {
    assert.equal(describeError('plain text', options), 'plain text');
    assert.equal(describeError(42, options), '42');
    assert.equal(describeError(undefined, options), 'undefined');
    assert.equal(describeError(null, options), 'null');
    assert.equal(describeError({ toString: () => 'custom' }, options), 'custom');
  }
});
