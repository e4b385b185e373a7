import { NetTransport, PeerConfig, type Process, serve, type SimContext } from 'moonpool';
import { emitLb } from './lb-events.js';
import { REPLICA_PORT, type ReplicaReply, ReplicaService } from './replica-protocol.js';

const BOOTS_KEY = 'lb:boots';

/**
 * One replica: serves `ReplicaService` with a counter kept in memory (lost at reboot). A request is
 * executed at once (logged), then answered after a delay: usually short, sometimes long enough for a
 * partition or a reboot to strike between the execution and the reply (the client then cannot know
 * whether it ran: `MaybeDelivered`), now and then longer than the client's attempt timeout.
 */
export class ReplicaServer implements Process {
  readonly name = 'replica';

  async run(ctx: SimContext): Promise<void> {
    const boots = ctx.state.get<Map<string, number>>(BOOTS_KEY) ?? new Map<string, number>();
    ctx.state.publish(BOOTS_KEY, boots);
    const boot = (boots.get(ctx.myIp) ?? 0) + 1;
    boots.set(ctx.myIp, boot);

    const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
    await transport.listen(`${ctx.myIp}:${REPLICA_PORT}`);
    let counter = 0;
    const execute = async (id: string, add: number): Promise<ReplicaReply> => {
      counter += add;
      const value = counter;
      emitLb(ctx, { type: 'executed', id, server: ctx.myIp, boot });
      await ctx.time.sleep(delay(ctx));
      return { id, server: ctx.myIp, boot, value };
    };
    const server = serve(transport, ReplicaService, {
      read: ({ id }) => execute(id, 0),
      increment: ({ id }) => execute(id, 1),
    });
    await new Promise<void>((resolve) => {
      if (ctx.shutdown.aborted) resolve();
      ctx.shutdown.addEventListener('abort', () => resolve(), { once: true });
    });
    server.stop(); // requests being handled get BrokenPromise
    await ctx.time.sleep(20); // let those leave before the connections close
    await transport.close();
  }
}

function delay(ctx: SimContext): number {
  const { random } = ctx;
  const roll = random.random();
  if (roll < 0.02) return random.randomRange(2000, 4000);
  if (roll < 0.2) return random.randomRange(100, 800);
  return random.randomRange(0, 20);
}
