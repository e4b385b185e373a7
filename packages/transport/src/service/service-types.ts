// Type helpers for code written against a service definition (its typed server and client).
import type { MethodTypes } from './method.js';
import type { ServiceDefinition } from './service-definition.js';

/** Any service definition. */
export type AnyServiceDefinition = ServiceDefinition;

/** The method names of a definition, as a union of string literals. */
export type MethodNames<TService extends AnyServiceDefinition> = keyof TService['methods'] & string;

/** The `ServiceMethod` object of one method. */
export type MethodOf<TService extends AnyServiceDefinition, TName extends MethodNames<TService>> =
  TService['methods'][TName];

type TypesOf<TService extends AnyServiceDefinition, TName extends MethodNames<TService>> =
  NonNullable<TService['methods'][TName]['~types']> extends MethodTypes<infer Q, infer R, infer QI, infer RI>
    ? MethodTypes<Q, R, QI, RI>
    : never;

/** What a handler receives: the request once validated (the request schema's output). */
export type RequestOf<TService extends AnyServiceDefinition, TName extends MethodNames<TService>> =
  TypesOf<TService, TName>['request'];

/** What a client receives: the response once validated (the response schema's output). */
export type ResponseOf<TService extends AnyServiceDefinition, TName extends MethodNames<TService>> =
  TypesOf<TService, TName>['response'];

/** What a client sends: the request schema's input (the same as `RequestOf` without a transform). */
export type RequestInputOf<TService extends AnyServiceDefinition, TName extends MethodNames<TService>> =
  TypesOf<TService, TName>['requestInput'];

/** What a handler returns: the response schema's input (the same as `ResponseOf` without a transform). */
export type ResponseInputOf<TService extends AnyServiceDefinition, TName extends MethodNames<TService>> =
  TypesOf<TService, TName>['responseInput'];
