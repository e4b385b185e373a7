import type { SimContext } from 'moonpool';
import { getOrPublish } from './kv-state.js';

const BOOTS_KEY = 'kv:boots';

/**
 * When each KV server booted, by IP, in simulated time (`now()`). Servers record their boot first
 * thing; the reference model reads it to know when a server may have lost (in-memory) data and
 * which requests spanned a reboot. Shared through `ctx.state`, so it outlives every reboot.
 */
export class KvBoots {
  private readonly byIp = new Map<string, number[]>();

  record(ip: string, nowMs: number): number {
    const boots = this.byIp.get(ip) ?? [];
    boots.push(nowMs);
    this.byIp.set(ip, boots);
    return boots.length;
  }

  /** Boot times of the server at `ip`, oldest first. */
  of(ip: string): readonly number[] {
    return this.byIp.get(ip) ?? [];
  }

  /** Whether the server at `ip` booted in the open interval (from, to). */
  bootedBetween(ip: string, from: number, to: number): boolean {
    return this.of(ip).some((t) => t > from && t < to);
  }
}

/** The iteration's boot registry, created by whoever asks first. */
export function kvBoots(ctx: SimContext): KvBoots {
  return getOrPublish(ctx.state, BOOTS_KEY, () => new KvBoots());
}
