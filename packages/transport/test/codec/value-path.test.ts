import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPath, pathForMessage } from '../../src/codec/value-path.js';

test('a path is written as in JavaScript', () => {
  assert.equal(formatPath([]), '$');
  assert.equal(formatPath(['users', 2, 'tags']), '$.users[2].tags');
  assert.equal(formatPath(['odd key', '', '$ok', '_x1', '1a', 'a"b']), '$["odd key"][""].$ok._x1["1a"]["a\\"b"]');
  assert.equal(formatPath([Symbol('s')]), '$[Symbol(s)]');
});

test('a very long path is cut in the middle for messages', () => {
  const long = formatPath(Array.from({ length: 500 }, () => 0));
  const short = pathForMessage(long);
  assert.ok(short.length < 200);
  assert.ok(short.startsWith('$[0][0]') && short.endsWith('[0][0]') && short.includes('…'));
  assert.equal(pathForMessage('$.a'), '$.a');
});
