import { UID } from '@moonpool/core';

const U64_MAX = (1n << 64n) - 1n;

/**
 * The token of a service method: `UID(interfaceId, methodIndex)`. Method indices count from 1 in
 * declaration order (0 is reserved), so adding methods at the end keeps the others' tokens.
 */
export function methodToken(interfaceId: bigint, methodIndex: number): UID {
  if (typeof interfaceId !== 'bigint') {
    throw new TypeError(`interface id must be a bigint, got ${typeof interfaceId} ${String(interfaceId)}`);
  }
  if (interfaceId < 0n || interfaceId > U64_MAX) {
    throw new RangeError(`interface id must be an unsigned 64-bit integer, got ${interfaceId}`);
  }
  if (!Number.isSafeInteger(methodIndex) || methodIndex < 1) {
    throw new RangeError(
      `method index must be an integer from 1 (0 is reserved), got ${String(methodIndex)}`,
    );
  }
  return new UID(interfaceId, BigInt(methodIndex));
}
