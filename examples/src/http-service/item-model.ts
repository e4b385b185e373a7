import type { SimContext } from 'moonpool';
import { rebootLosses } from './reboot-losses.js';
import { RegisterHistory, type WriteRecord } from './register-history.js';

/** The workload's model of the service: one register history per item, plus the server's reboots. */
export class ItemModel {
  private readonly items = new Map<string, RegisterHistory>();

  constructor(
    private readonly ctx: SimContext,
    private readonly serverIp: string,
  ) {}

  beginWrite(id: string, value: string | null): WriteRecord {
    return this.history(id).begin(value, this.ctx.time.now());
  }

  acknowledged(id: string, write: WriteRecord, uncertain: boolean): void {
    this.history(id).acknowledged(write, this.ctx.time.now(), uncertain);
  }

  notApplied(id: string, write: WriteRecord): void {
    this.history(id).notApplied(write);
  }

  /**
   * Whether a read of `id` begun at `readStart` and ending now may return `value` (null: not found);
   * `withLosses` false pretends the server never lost its data.
   */
  possible(id: string, value: string | null, readStart: number, withLosses = true): boolean {
    const losses = withLosses ? rebootLosses(this.ctx, this.serverIp) : [];
    return this.history(id).possible(value, readStart, this.ctx.time.now(), losses);
  }

  private history(id: string): RegisterHistory {
    let history = this.items.get(id);
    if (history === undefined) {
      history = new RegisterHistory();
      this.items.set(id, history);
    }
    return history;
  }
}
