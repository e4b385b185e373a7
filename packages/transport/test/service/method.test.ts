import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { z } from 'zod';
import { isMethodDefinition, method } from '../../src/index.js';

const schema: StandardSchemaV1<number> = {
  '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value: value as number }) },
};

test('method() with types only has no schemas', () => {
  const m = method<{ n: number }, { n: number }>();
  assert.equal(m.requestSchema, undefined);
  assert.equal(m.responseSchema, undefined);
  assert.ok(Object.isFrozen(m));
  assert.ok(isMethodDefinition(m));
});

test('method() keeps the schemas it is given, either or both', () => {
  assert.equal(method({ request: schema }).requestSchema, schema);
  assert.equal(method({ request: schema }).responseSchema, undefined);
  assert.equal(method({ response: schema }).responseSchema, schema);
  const Z = z.object({ a: z.number() });
  const both = method({ request: Z, response: Z });
  assert.equal(both.requestSchema, Z);
  assert.equal(both.responseSchema, Z);
  assert.equal(method({}).requestSchema, undefined);
});

test('a schema that is a function (as arktype makes them) is accepted', () => {
  const callable = Object.assign(() => undefined, { '~standard': schema['~standard'] });
  assert.equal(method({ request: callable as unknown as StandardSchemaV1<number> }).requestSchema, callable);
});

test('method() refuses what is not a Standard Schema, and unknown options', () => {
  assert.throws(() => method({ request: { parse: () => 1 } as never }), /method\(\): the request schema is not a Standard Schema v1/);
  assert.throws(() => method({ response: { '~standard': { version: 2, validate: () => ({}) } } as never }), /response schema is not a Standard Schema v1/);
  assert.throws(() => method({ request: 'string' as never }), /got a string/);
  assert.throws(() => method({ requst: schema } as never), /unknown option 'requst'/);
  assert.throws(() => method(schema as never), /unknown option '~standard'/);
  assert.throws(() => method(null as never), /takes \{ request\?, response\? \}/);
});

test('only what method() made counts as a method', () => {
  assert.equal(isMethodDefinition({ requestSchema: undefined, responseSchema: undefined }), false);
  assert.equal(isMethodDefinition(null), false);
  assert.equal(isMethodDefinition(method), false);
});
