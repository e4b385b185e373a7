import {
  type IncomingRequest,
  jsonCodec,
  NetTransport,
  PeerConfig,
  type Process,
  RequestStream,
  serve,
  type ServerHandle,
  type SimContext,
} from 'moonpool';
import { SERVICE_LOG, type ServiceStopped } from './delivery-events.js';
import { EchoHandler, type EchoHandlerOptions, isWellFormed } from './echo-handler.js';
import { ECHO_PORT, ECHO_WELL_KNOWN, type EchoReply, type EchoRequest, EchoService, makeReply } from './echo-protocol.js';

const BOOTS_KEY = 'transport:boots';

/**
 * An echo server: listens with a `NetTransport` and serves the same handler (`EchoHandler`) twice —
 * through a raw `RequestStream` at the well-known echo endpoint, and as the typed `EchoService`.
 * Now and then it stops serving the typed service for a while (maintenance): requests being handled
 * get `BrokenPromise`, and requests that arrive meanwhile find no endpoint. On graceful shutdown it
 * gives up every request still being handled, then closes its transport.
 */
export class EchoServer implements Process {
  readonly name = 'echo-server';
  /** Requests being handled through either endpoint, with how to give each up. */
  private readonly inFlight = new Map<EchoRequest, { abandoned: boolean; via: 'stream' | 'service' }>();

  constructor(private readonly options: EchoHandlerOptions) {}

  async run(ctx: SimContext): Promise<void> {
    const boots = ctx.state.get<Map<string, number>>(BOOTS_KEY) ?? new Map<string, number>();
    ctx.state.publish(BOOTS_KEY, boots);
    const boot = (boots.get(ctx.myIp) ?? 0) + 1;
    boots.set(ctx.myIp, boot);
    const handler = new EchoHandler(ctx, boot, this.options);

    const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
    await transport.listen(`${ctx.myIp}:${ECHO_PORT}`);
    // Registered right after listen, before any packet can be dispatched.
    const stream = new RequestStream<EchoRequest, EchoReply>(transport, { wellKnown: ECHO_WELL_KNOWN }, jsonCodec);
    let service: ServerHandle | null = this.serveTyped(transport, handler);
    const stopped = new Promise<void>((resolve) => {
      if (ctx.shutdown.aborted) resolve();
      ctx.shutdown.addEventListener('abort', () => resolve(), { once: true });
    });
    const serving = this.serveStream(ctx, stream, handler);
    ctx.task.spawn('maintenance', async () => {
      while (!ctx.shutdown.aborted) {
        await ctx.time.sleep(ctx.random.randomRange(1000, 8000));
        if (ctx.shutdown.aborted || service === null) return;
        this.stopTyped(ctx, handler, service);
        service = null;
        await ctx.time.sleep(ctx.random.randomRange(200, 1500));
        if (ctx.shutdown.aborted) return;
        service = this.serveTyped(transport, handler);
      }
    });
    await stopped;
    if (service !== null) this.stopTyped(ctx, handler, service);
    service = null;
    this.giveUp(handler, 'stream', 'the server is shutting down');
    stream.close(); // gives up every request not answered yet
    await serving;
    // Let the BrokenPromise replies leave before the connections close (close drops what is queued).
    await ctx.time.sleep(20);
    await transport.close();
  }

  private async serveStream(
    ctx: SimContext,
    stream: RequestStream<EchoRequest, EchoReply>,
    handler: EchoHandler,
  ): Promise<void> {
    for (let item = await stream.next(); item !== null; item = await stream.next()) {
      const incoming: IncomingRequest<EchoRequest, EchoReply> = item;
      ctx.task.spawn('handle', async () => {
        const [request, reply] = incoming;
        const tracked = isWellFormed(request) && reply.replyTo !== null;
        if (tracked) this.inFlight.set(request, { abandoned: false, via: 'stream' });
        const handled = await handler.handle(request);
        if (tracked) this.inFlight.delete(request);
        if (handled === 'abandon') reply.abandon('the server gave the request up');
        else if (handled !== 'no-reply' && !reply.isSettled) {
          handler.replied(request);
          reply.send(handled.reply);
        }
      });
    }
  }

  private serveTyped(transport: NetTransport, handler: EchoHandler): ServerHandle {
    return serve(transport, EchoService, {
      echo: async (request) => {
        const tracked = isWellFormed(request) && request.mode !== 'send';
        const state = { abandoned: false, via: 'service' as const };
        if (tracked) this.inFlight.set(request, state);
        const handled = await handler.handle(request);
        if (tracked) this.inFlight.delete(request);
        // A handler that throws gives its request up (BrokenPromise).
        if (handled === 'abandon') throw new Error('the server gave the request up');
        if (handled === 'no-reply') return makeReply(request.id, ''); // sent with `send`: nobody waits for it
        if (!state.abandoned) handler.replied(request);
        return handled.reply;
      },
    });
  }

  private stopTyped(ctx: SimContext, handler: EchoHandler, service: ServerHandle): void {
    ctx.emit<ServiceStopped>(SERVICE_LOG, { server: ctx.myIp, boot: handler.boot });
    this.giveUp(handler, 'service', 'the service was stopped');
    service.stop(); // gives up every request it is handling
  }

  /** Logs every request of `via` being handled as given up (stopping its endpoint sends the BrokenPromises). */
  private giveUp(handler: EchoHandler, via: 'stream' | 'service', why: string): void {
    for (const [request, state] of this.inFlight) {
      if (state.via !== via || state.abandoned) continue;
      state.abandoned = true;
      handler.abandoned(request, why);
    }
  }
}
