// Type-level tests: this file compiles only if the types are right (tsc runs before the tests).
// `expectType<Equal<A, B>>()` fails to compile unless A and B are the same type; each
// `@ts-expect-error` line fails to compile unless the line below it is a type error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v from 'valibot';
import { z } from 'zod';
import {
  defineService,
  method,
  type MethodNames,
  type MethodOf,
  type RequestInputOf,
  type RequestOf,
  type ResponseInputOf,
  type ResponseOf,
  type ServiceMethod,
  validateRequest,
  validateResponse,
} from '../../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<_T extends true>(): void {}

const AddRequest = z.object({ a: z.number(), b: z.number() });
const AddResponse = z.object({ sum: z.number() });

const Calculator = defineService({
  id: 0xca1cn,
  methods: {
    add: method({ request: AddRequest, response: AddResponse }),
    negate: method<{ n: number }, { n: number }>(),
    parse: method({ request: z.string().transform((s) => Number(s)), response: v.object({ ok: v.boolean() }) }),
    half: method<{ x: number }, { y: number }>({ request: z.object({ x: z.number() }) }),
    ping: method(),
  },
});
type Calc = typeof Calculator;

test('method names are a union of literals, in the order they were declared', () => {
  expectType<Equal<MethodNames<Calc>, 'add' | 'negate' | 'parse' | 'half' | 'ping'>>();
  // @ts-expect-error not a method of Calculator
  const unknownName: MethodNames<Calc> = 'multiply';
  assert.ok(unknownName);
});

test('types come from the schemas (zod, valibot)', () => {
  expectType<Equal<RequestOf<Calc, 'add'>, { a: number; b: number }>>();
  expectType<Equal<ResponseOf<Calc, 'add'>, { sum: number }>>();
  expectType<Equal<ResponseOf<Calc, 'parse'>, { ok: boolean }>>();
});

test('a transform separates what is sent from what is received', () => {
  expectType<Equal<RequestInputOf<Calc, 'parse'>, string>>();
  expectType<Equal<RequestOf<Calc, 'parse'>, number>>();
  expectType<Equal<ResponseInputOf<Calc, 'add'>, { sum: number }>>();
});

test('types given as type arguments, with or without a schema for one side', () => {
  expectType<Equal<RequestOf<Calc, 'negate'>, { n: number }>>();
  expectType<Equal<ResponseOf<Calc, 'negate'>, { n: number }>>();
  expectType<Equal<RequestOf<Calc, 'half'>, { x: number }>>();
  expectType<Equal<ResponseOf<Calc, 'half'>, { y: number }>>();
  // @ts-expect-error the schema does not match the type argument
  method<{ x: string }, { y: number }>({ request: z.object({ x: z.number() }) });
});

test('a method declared with nothing is unknown both ways', () => {
  expectType<Equal<RequestOf<Calc, 'ping'>, unknown>>();
  expectType<Equal<ResponseOf<Calc, 'ping'>, unknown>>();
});

test('the methods of a definition are typed by name', () => {
  expectType<Equal<MethodOf<Calc, 'negate'>, ServiceMethod<'negate', { n: number }, { n: number }>>>();
  expectType<Equal<Calc['methods']['add']['name'], 'add'>>();
  // @ts-expect-error no such method
  assert.equal(Calculator.methods.multiply, undefined);
});

test('validation returns the validated type', async () => {
  const request = await validateRequest(Calculator, 'add', { a: 1, b: 2 });
  expectType<Equal<typeof request, { a: number; b: number }>>();
  assert.equal(request.a + request.b, 3);
  const response = await validateResponse(Calculator, 'parse', { ok: true });
  expectType<Equal<typeof response, { ok: boolean }>>();
  assert.equal(response.ok, true);
  // @ts-expect-error not a method name
  await assert.rejects(validateRequest(Calculator, 'nope', 1));
});

test('defineService refuses what is not a method() at compile time too', () => {
  assert.throws(() =>
    // @ts-expect-error a plain function is not a MethodDefinition
    defineService({ id: 1n, methods: { a: () => 1 } }),
  );
  assert.throws(() =>
    // @ts-expect-error the id is a bigint
    defineService({ id: 1, methods: { a: method() } }),
  );
});
