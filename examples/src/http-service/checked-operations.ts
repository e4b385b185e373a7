import { assertAlways, assertSometimes, type SimContext } from 'moonpool';
import type { ItemModel } from './item-model.js';
import type { WriteRecord } from './register-history.js';
import type { CallResult, ServiceClient } from './service-client.js';

/** What a read found: the item's value, null when it does not exist, undefined when no answer came. */
export type ReadResult = string | null | undefined;

/**
 * The item operations a client performs, each recorded in the model and checked against it: a write
 * is remembered with what is known of when it took effect, and every answered read must be a value
 * the model deems possible.
 */
export class CheckedOperations {
  constructor(
    private readonly ctx: SimContext,
    private readonly client: ServiceClient,
    private readonly model: ItemModel,
  ) {}

  /** True when the write was acknowledged. */
  async put(id: string, value: string): Promise<boolean> {
    const write = this.model.beginWrite(id, value);
    const result = await this.client.call('PUT', `/items/${id}`, JSON.stringify({ value }));
    const ok = isReply(result, 200) && matches(result.json, { id, value });
    if (result.kind === 'reply') assertAlways(ok, 'PUT is answered 200 with the stored item');
    this.settle(id, write, result, ok);
    return ok;
  }

  async remove(id: string): Promise<void> {
    const write = this.model.beginWrite(id, null);
    const result = await this.client.call('DELETE', `/items/${id}`);
    const ok = isReply(result, 200) && matches(result.json, { id }) && typeof deletedFlag(result.json) === 'boolean';
    if (result.kind === 'reply') assertAlways(ok, 'DELETE is answered 200 with the deleted flag');
    this.settle(id, write, result, ok);
  }

  async get(id: string): Promise<ReadResult> {
    const start = this.ctx.time.now();
    const result = await this.client.call('GET', `/items/${id}`);
    if (result.kind !== 'reply') return undefined;
    if (result.status === 404) {
      assertAlways(this.model.possible(id, null, start), 'every 404 GET is possible');
      assertSometimes(!this.model.possible(id, null, start, false), 'an item was lost in a reboot');
      return null;
    }
    const value = (result.json as { value?: unknown }).value;
    const ok = result.status === 200 && matches(result.json, { id }) && typeof value === 'string';
    assertAlways(ok, 'GET is answered 200 with the item or 404');
    if (!ok) return undefined;
    assertAlways(this.model.possible(id, value, start), 'every 200 GET returns a possible value');
    return value;
  }

  /** Records the write's fate: acknowledged, certainly not applied, or (an odd reply too) left open. */
  private settle(id: string, write: WriteRecord, result: CallResult, ok: boolean): void {
    if (ok) this.model.acknowledged(id, write, result.uncertain);
    else if (result.kind === 'gave-up' && !result.uncertain) this.model.notApplied(id, write);
  }
}

function isReply(result: CallResult, status: number): result is CallResult & { kind: 'reply' } {
  return result.kind === 'reply' && result.status === status;
}

function matches(json: unknown, fields: Readonly<Record<string, string>>): boolean {
  const record = json as Record<string, unknown>;
  return Object.entries(fields).every(([key, value]) => record[key] === value);
}

function deletedFlag(json: unknown): unknown {
  return (json as { deleted?: unknown }).deleted;
}
