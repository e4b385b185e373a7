import { crc32 } from 'node:zlib';

/** Port every KV server listens on. */
export const KV_PORT = 7000;

/** A small key space, so that clients collide on keys and reads often follow others' writes. */
export const KV_KEYS: readonly string[] = Array.from({ length: 8 }, (_, i) => `k${i}`);

/**
 * The server owning `key`: keys are partitioned over the servers by hash, each key lives on
 * exactly one of them (no replication), so a dead server makes its keys unavailable until it is back.
 */
export function ownerOf(key: string, serverIps: readonly string[]): string {
  const ip = serverIps[crc32(key) % serverIps.length];
  if (ip === undefined) throw new RangeError('no KV servers');
  return ip;
}
