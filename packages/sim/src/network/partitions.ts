/** A partition rule that expired, as reported on the fault timeline. */
export interface HealedRule {
  from: string;
  to: string;
}

/**
 * Which paths between IPs are cut, and until when (ticks; Infinity = until healed). A path is
 * blocked by a pair rule (both directions), a send-from rule on its source (`to` is `*`) or a
 * receive-to rule on its target (`from` is `*`).
 */
export class PartitionTable {
  private readonly rules = new Map<string, { from: string; to: string; until: number }>();

  get empty(): boolean {
    return this.rules.size === 0;
  }

  blocked(from: string, to: string, now: number): boolean {
    if (this.rules.size === 0) return false;
    return (
      this.active(pairKey(from, to), now) ||
      this.active(`${from}>*`, now) ||
      this.active(`*>${to}`, now)
    );
  }

  private active(key: string, now: number): boolean {
    return (this.rules.get(key)?.until ?? -1) > now;
  }

  cutPair(a: string, b: string, until: number): void {
    this.add(pairKey(a, b), a, b, until);
  }

  cutSendFrom(ip: string, until: number): void {
    this.add(`${ip}>*`, ip, '*', until);
  }

  cutRecvTo(ip: string, until: number): void {
    this.add(`*>${ip}`, '*', ip, until);
  }

  private add(key: string, from: string, to: string, until: number): void {
    const existing = this.rules.get(key);
    this.rules.set(key, { from, to, until: Math.max(existing?.until ?? 0, until) });
  }

  /** Removes the rules that have expired by `now` and returns them. */
  expire(now: number): HealedRule[] {
    const healed: HealedRule[] = [];
    for (const [key, rule] of this.rules) {
      if (rule.until <= now) {
        this.rules.delete(key);
        healed.push({ from: rule.from, to: rule.to });
      }
    }
    return healed;
  }

  /** Removes every rule and returns them. */
  clear(): HealedRule[] {
    const healed = [...this.rules.values()].map(({ from, to }) => ({ from, to }));
    this.rules.clear();
    return healed;
  }
}

/** One key for both directions of a pair. */
function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
