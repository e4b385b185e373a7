import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as v from 'valibot';
import { z } from 'zod';
import { defineService, formatIssues, method, validateRequest, validateResponse, ValidationError } from '../../src/index.js';

/** A hand-written Standard Schema: a positive integer, checked synchronously or (with `async`) later. */
function positiveInteger(async = false): StandardSchemaV1<number> {
  const check = (value: unknown): StandardSchemaV1.Result<number> =>
    Number.isInteger(value) && (value as number) > 0
      ? { value: value as number }
      : { issues: [{ message: 'expected a positive integer', path: ['n', { key: 0 }] }] };
  return {
    '~standard': {
      version: 1,
      vendor: 'hand-made',
      validate: (value) => (async ? Promise.resolve().then(() => check(value)) : check(value)),
    },
  };
}

const Shop = defineService({
  id: 0x5409n,
  name: 'Shop',
  methods: {
    order: method({
      request: z.object({ item: z.string().min(1), quantity: z.number().int().positive() }),
      response: z.object({ orderId: z.bigint() }),
    }),
    price: method({
      request: v.object({ item: v.pipe(v.string(), v.minLength(1)) }),
      response: v.object({ cents: v.pipe(v.number(), v.integer()) }),
    }),
    count: method({ request: positiveInteger(), response: positiveInteger(true) }),
    trim: method({ request: z.string().transform((s) => s.trim()) }),
    untyped: method<{ anything: unknown }, string>(),
  },
});

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ValidationError, `expected a ValidationError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('validation with zod 4', () => {
  test('a valid request comes back validated', async () => {
    assert.deepEqual(await validateRequest(Shop, 'order', { item: 'tea', quantity: 2 }), { item: 'tea', quantity: 2 });
    assert.deepEqual(await validateResponse(Shop, 'order', { orderId: 7n }), { orderId: 7n });
  });

  test('an invalid request is refused with every issue, path and message', async () => {
    const err = await rejection(validateRequest(Shop, 'order', { item: '', quantity: 1.5 }));
    assert.equal(err.serviceName, 'Shop');
    assert.equal(err.methodName, 'order');
    assert.equal(err.direction, 'request');
    assert.equal(err.issues.length, 2);
    assert.match(err.message, /^invalid request for Shop\.order: \$\.item: .+; \$\.quantity: .+$/);
  });

  test('a transform applies: the receiver gets the schema output', async () => {
    assert.equal(await validateRequest(Shop, 'trim', '  x  '), 'x');
  });
});

describe('validation with valibot', () => {
  test('valid and invalid values', async () => {
    assert.deepEqual(await validateRequest(Shop, 'price', { item: 'tea' }), { item: 'tea' });
    const err = await rejection(validateResponse(Shop, 'price', { cents: 1.5 }));
    assert.equal(err.direction, 'response');
    assert.match(err.message, /^invalid response for Shop\.price: \$\.cents: /);
    const missing = await rejection(validateRequest(Shop, 'price', {}));
    assert.match(missing.message, /\$\.item: /);
  });
});

describe('validation with a hand-written schema', () => {
  test('synchronous and asynchronous results both work', async () => {
    assert.equal(await validateRequest(Shop, 'count', 3), 3);
    assert.equal(await validateResponse(Shop, 'count', 4), 4);
    const sync = await rejection(validateRequest(Shop, 'count', -1));
    assert.equal(sync.message, 'invalid request for Shop.count: $.n[0]: expected a positive integer');
    const later = await rejection(validateResponse(Shop, 'count', 'x'));
    assert.equal(later.message, 'invalid response for Shop.count: $.n[0]: expected a positive integer');
  });

  test('a schema that throws, or returns nonsense, gives a ValidationError', async () => {
    const boom = new Error('bug in refinement');
    const throwing: StandardSchemaV1 = { '~standard': { version: 1, vendor: 't', validate: () => { throw boom; } } };
    const rejecting: StandardSchemaV1 = { '~standard': { version: 1, vendor: 't', validate: () => Promise.reject(boom) } };
    const nothing = { '~standard': { version: 1, vendor: 't', validate: () => undefined } } as unknown as StandardSchemaV1;
    const badIssues = { '~standard': { version: 1, vendor: 't', validate: () => ({ issues: 'wrong' }) } } as unknown as StandardSchemaV1;
    const service = defineService({
      id: 9n,
      methods: {
        a: method({ request: throwing }),
        b: method({ request: rejecting }),
        c: method({ request: nothing }),
        d: method({ request: badIssues }),
      },
    });
    const a = await rejection(validateRequest(service, 'a', 1));
    assert.equal(a.message, 'invalid request for service 0x9.a: $: the schema threw: bug in refinement');
    assert.equal(a.cause, boom);
    assert.match((await rejection(validateRequest(service, 'b', 1))).message, /the schema threw: bug in refinement/);
    assert.match((await rejection(validateRequest(service, 'c', 1))).message, /the schema returned no result/);
    assert.match((await rejection(validateRequest(service, 'd', 1))).message, /issues that are not an array/);
  });
});

describe('validation without a schema', () => {
  test('passes the value through, as it is', async () => {
    const value = { anything: new Map() };
    assert.equal(await validateRequest(Shop, 'untyped', value), value);
    assert.equal(await validateResponse(Shop, 'trim', 42), 42);
  });

  test('an unknown method name is refused (as a rejection)', async () => {
    await assert.rejects(validateRequest(Shop, 'nope' as never, 1), /Shop has no method 'nope'/);
    await assert.rejects(validateRequest(Shop, 'toString' as never, 1), /Shop has no method 'toString'/);
  });
});

describe('formatIssues', () => {
  test('lists path: message, shows at most ten issues and cuts long messages', () => {
    assert.equal(formatIssues([]), 'no issue given');
    assert.equal(formatIssues([{ message: 'Required', path: ['a', 0, { key: 'b c' }] }]), '$.a[0]["b c"]: Required');
    const many = Array.from({ length: 12 }, (_, i) => ({ message: `m${i}` }));
    assert.match(formatIssues(many), /^\$: m0; .*\$: m9; and 2 more$/);
    const long = formatIssues([{ message: 'x'.repeat(1000) }]);
    assert.ok(long.length < 220 && long.endsWith('…'));
  });

  test('survives issues that do not follow the spec', () => {
    const odd = [null, { message: 12 }, { path: 'not an array', message: 'm' }] as unknown as StandardSchemaV1.Issue[];
    assert.equal(formatIssues(odd), '$: undefined; $: 12; $: m');
  });
});
