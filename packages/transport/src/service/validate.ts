import { describeError } from '@moonpool/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ServiceMethod } from './service-definition.js';
import type { AnyServiceDefinition, MethodNames, RequestOf, ResponseOf } from './service-types.js';
import { type MessageDirection, ValidationError } from './validation-error.js';

/**
 * Checks a request received for a method with its request schema, if it has one, and returns the
 * validated value (the schema's output). Throws `ValidationError` when the schema refuses it. A
 * method without a request schema passes the value through unchecked.
 *
 * Validate a message where it is received, once: requests on the server, responses on the
 * client. A schema that transforms then works: the sender gives its input type, the receiver gets
 * its output type.
 */
export async function validateRequest<TService extends AnyServiceDefinition, TName extends MethodNames<TService>>(
  service: TService,
  name: TName,
  value: unknown,
): Promise<RequestOf<TService, TName>> {
  const method = lookUp(service, name);
  return (await validate(method.requestSchema, value, service, method, 'request')) as RequestOf<TService, TName>;
}

/** Checks a response received for a method with its response schema; as `validateRequest`. */
export async function validateResponse<TService extends AnyServiceDefinition, TName extends MethodNames<TService>>(
  service: TService,
  name: TName,
  value: unknown,
): Promise<ResponseOf<TService, TName>> {
  const method = lookUp(service, name);
  return (await validate(method.responseSchema, value, service, method, 'response')) as ResponseOf<TService, TName>;
}

function lookUp(service: AnyServiceDefinition, name: string): ServiceMethod {
  const method = Object.hasOwn(service.methods, name) ? service.methods[name] : undefined;
  if (method === undefined) throw new TypeError(`${service.name} has no method '${String(name)}'`);
  return method;
}

async function validate(
  schema: StandardSchemaV1 | undefined,
  value: unknown,
  service: AnyServiceDefinition,
  method: ServiceMethod,
  direction: MessageDirection,
): Promise<unknown> {
  if (schema === undefined) return value;
  let result: StandardSchemaV1.Result<unknown>;
  try {
    // validate may return the result or a promise of it.
    result = await schema['~standard'].validate(value);
  } catch (err) {
    // A schema that throws (a bug in a refinement, say) refuses the value rather than crash the caller.
    const reason = describeError(err, { stack: false });
    throw new ValidationError(service.name, method.name, direction, [{ message: `the schema threw: ${reason}` }], { cause: err });
  }
  if (typeof result !== 'object' || result === null)
    throw new ValidationError(service.name, method.name, direction, [{ message: 'the schema returned no result' }]);
  const issues: unknown = result.issues;
  // Standard Schema: a falsy `issues` is success.
  if (!issues) return (result as StandardSchemaV1.SuccessResult<unknown>).value;
  throw new ValidationError(
    service.name,
    method.name,
    direction,
    Array.isArray(issues) ? issues : [{ message: 'the schema failed with issues that are not an array' }],
  );
}
