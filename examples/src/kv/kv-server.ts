import { buggifyWithProb, type Listener, type Process, type SimContext, type Stream } from 'moonpool';
import { kvBoots } from './kv-boots.js';
import { encodeFrame } from './kv-frame.js';
import { FrameReader } from './kv-frame-reader.js';
import { KV_KEYS, KV_PORT, ownerOf } from './kv-keys.js';
import { decodeRequest, encodeResponse, type KvRequest, type KvResponse } from './kv-messages.js';
import { publishedStores } from './kv-state.js';
import type { KvStore } from './kv-store.js';

/** Opens the store at boot (an in-memory store, or a durable one recovering from its log). */
export type OpenStore = (ctx: SimContext) => Promise<KvStore>;

/**
 * A KV server: listens on `KV_PORT`, serves each connection in its own task, one request at a time
 * per connection, in the order the requests arrive. On graceful shutdown it stops accepting and
 * closes its connections; clients reconnect once it is back. Two buggify sites widen the windows
 * clients must cope with: `kv.server.slow_reply` (a reply late enough to time out) and
 * `kv.server.drop_after_apply` (the mutation is applied, then the connection is reset, so the
 * client cannot know it was).
 */
export class KvServer implements Process {
  readonly name = 'kv-server';
  private readonly streams = new Set<Stream>();

  constructor(private readonly openStore: OpenStore) {}

  async run(ctx: SimContext): Promise<void> {
    kvBoots(ctx).record(ctx.myIp, ctx.time.now());
    const store = await this.openStore(ctx);
    const owned = new Set(KV_KEYS.filter((key) => ownerOf(key, ctx.topology.processIps) === ctx.myIp));
    publishedStores(ctx.state).set(ctx.myIp, { store, owned });
    const listener = await ctx.network.bind(`${ctx.myIp}:${KV_PORT}`);
    const stop = (): void => this.stop(listener);
    if (ctx.shutdown.aborted) return stop();
    ctx.shutdown.addEventListener('abort', stop, { once: true });
    for (;;) {
      let stream: Stream;
      try {
        [stream] = await listener.accept();
      } catch {
        return; // the listener was closed: shutting down
      }
      this.streams.add(stream);
      ctx.task.spawn(`serve ${stream.peerAddr}`, () => this.serve(ctx, stream, store));
    }
  }

  private stop(listener: Listener): void {
    void listener.close();
    for (const stream of this.streams) stream.close().catch(() => {});
  }

  /** Serves one connection until the client closes it, or drops it on any error or corrupt frame. */
  private async serve(ctx: SimContext, stream: Stream, store: KvStore): Promise<void> {
    const reader = new FrameReader(stream);
    try {
      for (let payload = await reader.next(); payload !== null; payload = await reader.next()) {
        const request = decodeRequest(payload);
        // Called before any await: the store queues mutations in arrival order.
        const response = await apply(store, request);
        if (request.op !== 'get' && buggifyWithProb('kv.server.drop_after_apply', 0.05)) {
          stream.abort();
          return;
        }
        if (buggifyWithProb('kv.server.slow_reply', 0.05)) await ctx.time.sleep(ctx.random.randomRange(100, 600));
        await stream.writeAll(encodeFrame(encodeResponse(response)));
      }
      await stream.close();
    } catch {
      // Reset, bit flip caught by the checksum, or shutdown: the client retries on a new connection.
      stream.abort();
    } finally {
      this.streams.delete(stream);
    }
  }
}

async function apply(store: KvStore, request: KvRequest): Promise<KvResponse> {
  const { id } = request;
  switch (request.op) {
    case 'get': {
      const value = store.get(request.key);
      return value === undefined ? { status: 'not-found', id } : { status: 'value', id, value };
    }
    case 'set':
      return { status: (await store.set(request.key, request.value)) ? 'ok' : 'error', id };
    case 'delete':
      return { status: (await store.delete(request.key)) ? 'ok' : 'error', id };
  }
}
