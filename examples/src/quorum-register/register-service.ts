import { defineService, method } from 'moonpool';
import { z } from 'zod';

/**
 * A version of the register: writes are ordered by `counter`, then by `writer` (every concurrent
 * writer has an id of its own, and a writer never reuses a counter), so two different writes never
 * share a version. `{ counter: 0, writer: '' }` is the initial, never-written value.
 */
export interface Version {
  readonly counter: number;
  readonly writer: string;
}

export const INITIAL_VERSION: Version = Object.freeze({ counter: 0, writer: '' });

/** What a replica holds, and what a read gives: the newest version it stored and its value. */
export interface Stored {
  readonly version: Version;
  /** `null` only for the initial version. */
  readonly value: string | null;
}

export const INITIAL: Stored = Object.freeze({ version: INITIAL_VERSION, value: null });

const VersionSchema = z.object({ counter: z.number().int().nonnegative(), writer: z.string().max(64) });
const StoredSchema = z.object({ version: VersionSchema, value: z.string().max(1024).nullable() });

/**
 * The replicated register's service, one definition for the replica (`serve`) and the client
 * (`serviceClient`):
 * - `read()` answers what the replica holds durably (never a value it has not synced);
 * - `write({ version, value })` stores the pair if its version is newer than the replica's, makes it
 *   durable, and answers the version the replica then holds (the one written, or a newer one). An
 *   older or equal version is acknowledged without being stored: the replica already holds at least
 *   as new a value, so a resent or late write never moves a replica backwards.
 */
export const RegisterService = defineService({
  id: 0x9e61_5743n,
  name: 'QuorumRegister',
  methods: {
    read: method({ request: z.object({}), response: StoredSchema }),
    write: method({ request: StoredSchema, response: z.object({ version: VersionSchema }) }),
  },
});

/** The port replicas listen on in simulation (for real, any: `127.0.0.1:0` picks one). */
export const REGISTER_PORT = 4700;

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b`. */
export function compareVersions(a: Version, b: Version): number {
  if (a.counter !== b.counter) return a.counter - b.counter;
  return a.writer < b.writer ? -1 : a.writer > b.writer ? 1 : 0;
}

export function newer(a: Version, b: Version): Version {
  return compareVersions(a, b) >= 0 ? a : b;
}

/** `7.c1/0` for counter 7 of writer `c1/0`; `0` for the initial version. */
export function formatVersion(v: Version): string {
  return v.counter === 0 && v.writer === '' ? '0' : `${v.counter}.${v.writer}`;
}

/** The smallest majority of `n` replicas: any two majorities share a replica. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}
