import { UID } from './uid.js';

/** Reserved token indices (FoundationDB's well-known endpoints). */
export const WellKnownToken = {
  EndpointNotFound: 0,
  Ping: 1,
  UnauthorizedEndpoint: 2,
  FirstAvailable: 3,
} as const;
export type WellKnownToken = (typeof WellKnownToken)[keyof typeof WellKnownToken];

/** Number of entries in the well-known token range. */
export const WELL_KNOWN_TOKEN_COUNT = 64;

/** The UID of a well-known token index, with the index checked against the reserved range. */
export function wellKnownUid(index: number): UID {
  if (!Number.isInteger(index) || index < 0 || index >= WELL_KNOWN_TOKEN_COUNT) {
    throw new RangeError(`well-known token index must be in 0..${WELL_KNOWN_TOKEN_COUNT - 1}`);
  }
  return UID.wellKnown(index);
}
