import { UID } from '@moonpool/core';

/**
 * The token of a service method: `UID(serviceId, methodIndex)`, indices from 1 (SPEC §6.2).
 * Stand-in until endpoints/ exports `methodToken(interfaceId, methodIndex)`; then use that one.
 */
export function serviceMethodToken(serviceId: bigint, methodIndex: number): UID {
  return new UID(serviceId, BigInt(methodIndex));
}
