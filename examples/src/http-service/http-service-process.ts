import { assertSometimes, createSimHttpServer, serveHttp, type Process, type SimContext } from 'moonpool';
import { InFlight } from './in-flight.js';
import { ItemStore, type ItemStoreOptions } from './item-store.js';
import { itemsApi } from './items-api.js';
import { HTTP_PORT } from './service-config.js';

/**
 * The service: an unmodified node:http server (`createSimHttpServer` is `http.createServer` without
 * its wall-clock parts) fed the connections accepted on the simulated network. Its store lives in
 * memory, so every reboot starts it empty. On graceful shutdown it stops accepting, finishes the
 * requests under way and closes its idle connections before returning.
 */
export class HttpServiceProcess implements Process {
  readonly name = 'http-service';

  constructor(private readonly storeOptions: ItemStoreOptions = {}) {}

  async run(ctx: SimContext): Promise<void> {
    const store = new ItemStore(ctx.time, ctx.random, this.storeOptions);
    const server = createSimHttpServer(itemsApi(store, () => ctx.shutdown.aborted));
    const inFlight = new InFlight(server);
    const serving = serveHttp(server, await ctx.network.bind(`${ctx.myIp}:${HTTP_PORT}`), ctx.time);
    await whenAborted(ctx.shutdown);
    await serving.close();
    assertSometimes(inFlight.pending > 0, 'shutdown waits for requests in flight');
    await inFlight.drained();
    inFlight.endConnections();
  }
}

function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
