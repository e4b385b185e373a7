import { assertSometimes, type SimContext } from 'moonpool';
import { CORRUPT_LOG, type CorruptDelivery, emitDelivery } from './delivery-events.js';
import { DELIVERY_MODES, type EchoReply, type EchoRequest, makeReply, requestHash } from './echo-protocol.js';

export interface EchoHandlerOptions {
  /**
   * Remember the `increment`s applied in this incarnation and answer a repeat from memory. Without
   * it (the broken variant) a resent at-least-once request is applied again.
   */
  readonly deduplicate: boolean;
}

/** What to do with a request once handled. */
export type Handled = { readonly reply: EchoReply } | 'abandon' | 'no-reply';

/**
 * What one server incarnation does with a request, whichever endpoint it came through: check its
 * own hash (a corrupted request is logged, and must never be seen), give it up when asked, or
 * execute it — `echo` repeats the body, `increment` adds one to a counter kept in memory (lost at
 * reboot), deduplicated by request id — then wait: usually briefly, sometimes long enough for faults
 * to strike before the reply, now and then past every client's timeout.
 */
export class EchoHandler {
  private readonly applied = new Map<string, number>();
  private counter = 0;

  constructor(
    private readonly ctx: SimContext,
    readonly boot: number,
    private readonly options: EchoHandlerOptions,
  ) {}

  async handle(request: unknown): Promise<Handled> {
    const { ctx, boot } = this;
    if (!isWellFormed(request) || requestHash(request) !== request.hash) {
      ctx.emit<CorruptDelivery>(CORRUPT_LOG, { where: 'server', detail: JSON.stringify(request) });
      return 'abandon';
    }
    const { id, mode, op } = request;
    const server = ctx.myIp;
    if (request.abandon) {
      emitDelivery(ctx, mode, { type: 'abandoned', id, server, boot, why: 'asked to' });
      return 'abandon';
    }
    let body = request.body;
    if (op === 'increment') {
      const known = this.applied.get(id);
      assertSometimes(known !== undefined, 'rpc: increment arrived again (resent)');
      if (known !== undefined && this.options.deduplicate) {
        emitDelivery(ctx, mode, { type: 'deduplicated', id, server, boot });
        body = String(known);
      } else {
        const value = ++this.counter;
        this.applied.set(id, value);
        emitDelivery(ctx, mode, { type: 'executed', id, op, server, boot });
        body = String(value);
      }
    } else {
      emitDelivery(ctx, mode, { type: 'executed', id, op, server, boot });
    }
    if (mode === 'send') return 'no-reply';
    await ctx.time.sleep(this.delay());
    return { reply: makeReply(id, body) };
  }

  /** Logs the reply about to leave (before it does: the client cannot see it earlier). */
  replied(request: EchoRequest): void {
    emitDelivery(this.ctx, request.mode, { type: 'replied', id: request.id, server: this.ctx.myIp, boot: this.boot });
  }

  /** Logs a request given up by the server (before its `BrokenPromise` leaves). */
  abandoned(request: EchoRequest, why: string): void {
    const { id, mode } = request;
    emitDelivery(this.ctx, mode, { type: 'abandoned', id, server: this.ctx.myIp, boot: this.boot, why });
  }

  private delay(): number {
    const { random } = this.ctx;
    const roll = random.random();
    if (roll < 0.02) return random.randomRange(2500, 6000);
    if (roll < 0.2) return random.randomRange(100, 800);
    return random.randomRange(0, 20);
  }
}

/** The shape every client request has; anything else got corrupted on the way. */
export function isWellFormed(value: unknown): value is EchoRequest {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.body === 'string' &&
    typeof r.hash === 'number' &&
    typeof r.abandon === 'boolean' &&
    (r.op === 'echo' || r.op === 'increment') &&
    (DELIVERY_MODES as readonly unknown[]).includes(r.mode)
  );
}
