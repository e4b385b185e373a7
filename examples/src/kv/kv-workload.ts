import { assertAlways, assertAlwaysOrUnreachable, assertSometimes, type SimContext, type Workload } from 'moonpool';
import { kvBoots } from './kv-boots.js';
import { KvClient, type KvOutcome } from './kv-client.js';
import { KV_KEYS } from './kv-keys.js';
import { type Durability, kvModel } from './kv-model.js';

export interface KvWorkloadConfig {
  /** What the servers promise across reboots; the model allows data loss only when volatile. */
  readonly durability: Durability;
  /** How long each client issues operations (simulated ms); longer than the chaos phase, so
   *  reads also happen once every server is back and faults have stopped. */
  readonly durationMs: number;
  /** Pause between two operations of one client, half-open range in ms. */
  readonly thinkMs: readonly [number, number];
}

/**
 * One KV client: random GET (50 %), SET (35 %) and DELETE (15 %) on a small key space, one at a
 * time, each checked against the shared reference model. Values are unique (`v<client>.<n>`), so
 * a read names the write it saw. The first client also reads every key in the check phase, when
 * the system has settled.
 */
export class KvWorkload implements Workload {
  readonly name = 'kv-client';
  private written = 0;

  constructor(
    private readonly index: number,
    private readonly config: KvWorkloadConfig,
  ) {}

  async run(ctx: SimContext): Promise<void> {
    const client = new KvClient(ctx);
    const until = ctx.time.now() + this.config.durationMs;
    const [minThink, maxThink] = this.config.thinkMs;
    while (ctx.time.now() < until) {
      const key = KV_KEYS[ctx.random.randomRange(0, KV_KEYS.length)] as string;
      const roll = ctx.random.random();
      if (roll < 0.5) await this.read(ctx, client, key);
      else if (roll < 0.85) await this.write(ctx, client, key, `v${this.index}.${this.written++}`);
      else await this.write(ctx, client, key, null);
      await ctx.time.sleep(ctx.random.randomRange(minThink, maxThink));
    }
    await client.close();
  }

  async check(ctx: SimContext): Promise<void> {
    if (this.index !== 0) return;
    const client = new KvClient(ctx);
    for (const key of KV_KEYS) await this.read(ctx, client, key);
    await client.close();
  }

  private async read(ctx: SimContext, client: KvClient, key: string): Promise<void> {
    const start = ctx.time.now();
    const outcome = await client.get(key);
    const end = ctx.time.now();
    const { response } = outcome;
    const isRead = response.status === 'value' || response.status === 'not-found';
    assertAlways(isRead, 'get answered with a value or not-found');
    if (!isRead) return;
    const result = response.status === 'value' ? response.value : null;
    const server = client.serverFor(key);
    const model = kvModel(ctx, this.config.durability);
    const verdict = model.checkRead(key, result, start, end, kvBoots(ctx).of(server));
    assertAlways(verdict.possible, 'get returns a possible value');
    if (this.config.durability === 'durable' && verdict.afterReboot) {
      assertAlwaysOrUnreachable(verdict.possible, 'acknowledged write survives reboot');
    }
    if (this.config.durability === 'volatile') assertSometimes(verdict.onlyThroughLoss, 'value lost in reboot');
    assertSometimes(result !== null, 'get hit');
    this.observe(ctx, outcome, server, start, end);
  }

  /** SET `value`, or DELETE when it is null; returns once acknowledged (after any retries). */
  private async write(ctx: SimContext, client: KvClient, key: string, value: string | null): Promise<void> {
    const model = kvModel(ctx, this.config.durability);
    const start = ctx.time.now();
    const write = model.beginWrite(key, value, start);
    const outcome = value === null ? await client.delete(key) : await client.set(key, value);
    const end = ctx.time.now();
    model.acknowledge(write, end);
    assertAlways(outcome.response.status === 'ok', 'mutation answered with ok');
    if (value !== null) assertSometimes(true, 'set acknowledged');
    this.observe(ctx, outcome, client.serverFor(key), start, end);
  }

  /** Coverage of the failure paths a request went through. */
  private observe(ctx: SimContext, outcome: KvOutcome, server: string, start: number, end: number): void {
    assertSometimes(outcome.retriedAfterReset, 'request retried after reset');
    assertSometimes(kvBoots(ctx).bootedBetween(server, start, end), 'server rebooted during request');
  }
}
