/**
 * One write as the clients saw it. `value` null is a delete (or a loss of data). Times are simulated
 * ms; Infinity means "not known to have happened (yet)".
 */
export interface WriteRecord {
  readonly value: string | null;
  /** When the first attempt was sent: no application happened before. */
  readonly invokedAt: number;
  /** By then it was applied at least once (an acknowledgement arrived). */
  appliedBy: number;
  /** After this no application of it can happen: every attempt is accounted for. */
  lastApplyBy: number;
}

/**
 * The history of one item (a register): every write that may have happened, with what is known of
 * when. A read is explained by a write unless some other write certainly happened after all of its
 * applications and before the read began — the classic check that a read saw no value that is
 * impossible in every order consistent with real time. Values are unique per write, except null.
 */
export class RegisterHistory {
  private readonly writes: WriteRecord[] = [{ value: null, invokedAt: 0, appliedBy: 0, lastApplyBy: 0 }];

  /** A write under way: it may land at any moment until its outcome is known. */
  begin(value: string | null, now: number): WriteRecord {
    const write: WriteRecord = { value, invokedAt: now, appliedBy: Infinity, lastApplyBy: Infinity };
    this.writes.push(write);
    return write;
  }

  /** Acknowledged at `now`; `uncertain` if an earlier attempt may still land later. */
  acknowledged(write: WriteRecord, now: number, uncertain: boolean): void {
    write.appliedBy = now;
    write.lastApplyBy = uncertain ? Infinity : now;
  }

  /** Certainly never applied (every attempt was refused): forget it. */
  notApplied(write: WriteRecord): void {
    const index = this.writes.indexOf(write);
    if (index >= 0) this.writes.splice(index, 1);
  }

  /**
   * Whether a read that started at `readStart` and ended at `readEnd` may return `value`, given
   * `losses` (null writes outside this history: data lost in reboots).
   */
  possible(value: string | null, readStart: number, readEnd: number, losses: readonly WriteRecord[]): boolean {
    const all = losses.length === 0 ? this.writes : [...this.writes, ...losses];
    return all.some(
      (w) =>
        w.value === value &&
        w.invokedAt <= readEnd &&
        !all.some((later) => later !== w && later.invokedAt > w.lastApplyBy && later.appliedBy < readStart),
    );
  }
}
