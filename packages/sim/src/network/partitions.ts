/**
 * Which directed paths between IPs are cut, and until when (ticks; Infinity = until healed).
 * A path is blocked by a pair rule, a send-from rule on its source or a receive-to rule on its target.
 */
export class PartitionTable {
  private readonly pairs = new Map<string, number>();
  private readonly sendFrom = new Map<string, number>();
  private readonly recvTo = new Map<string, number>();

  get empty(): boolean {
    return this.pairs.size === 0 && this.sendFrom.size === 0 && this.recvTo.size === 0;
  }

  blocked(from: string, to: string, now: number): boolean {
    if (this.empty) return false;
    return (
      (this.pairs.get(`${from}>${to}`) ?? -1) > now ||
      (this.sendFrom.get(from) ?? -1) > now ||
      (this.recvTo.get(to) ?? -1) > now
    );
  }

  cutPath(from: string, to: string, until: number): void {
    const key = `${from}>${to}`;
    this.pairs.set(key, Math.max(this.pairs.get(key) ?? 0, until));
  }

  cutSendFrom(ip: string, until: number): void {
    this.sendFrom.set(ip, Math.max(this.sendFrom.get(ip) ?? 0, until));
  }

  cutRecvTo(ip: string, until: number): void {
    this.recvTo.set(ip, Math.max(this.recvTo.get(ip) ?? 0, until));
  }

  /** Drops rules that have expired by `now`; true if any did. */
  expire(now: number): boolean {
    let changed = false;
    for (const map of [this.pairs, this.sendFrom, this.recvTo]) {
      for (const [key, until] of map) {
        if (until <= now) {
          map.delete(key);
          changed = true;
        }
      }
    }
    return changed;
  }

  clear(): void {
    this.pairs.clear();
    this.sendFrom.clear();
    this.recvTo.clear();
  }
}
