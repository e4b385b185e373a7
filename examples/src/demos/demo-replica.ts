import {
  defineService,
  type FaultContext,
  type FaultInjector,
  method,
  type NetworkConfiguration,
  networkConfiguration,
  NetTransport,
  PeerConfig,
  type Process,
  serve,
  type ServiceClient,
  serviceClient,
  type SimContext,
} from 'moonpool';

/**
 * The service every demo calls: a replica of a small key-value store. `get` reads a key, `put`
 * writes it. Each reply says which replica answered.
 */
export const DemoReplica = defineService({
  id: 0xde_a0n,
  name: 'DemoReplica',
  methods: {
    get: method<{ key: string }, { replica: string; value: string | null }>(),
    put: method<{ key: string; value: string }, { replica: string }>(),
  },
});

export const DEMO_PORT = 4800;

/**
 * The demos' network: the default latencies, without the faults that drop or refuse connections
 * (bit flips, random closes, refused connects) or stretch sleeps, so that what a demo shows comes
 * from its replicas. (A refused connect marks a replica failed in the client's failure monitor,
 * which never probes: the load balancer then sends to it last, and a healthy replica may get no
 * reads for the rest of the run. See docs/transport.md, "Simulations".)
 */
export const DEMO_NETWORK: NetworkConfiguration = networkConfiguration({
  chaos: {
    bitFlipProbability: 0,
    randomCloseProbability: 0,
    buggifiedDelayEnabled: false,
    connectFailureMode: 'Disabled',
  },
});

/**
 * One replica. Its values live in memory (a crash forgets them). It answers after `delayMs(ip)`
 * plus up to 2 ms, so the demos can make one replica slow or fast.
 */
export class DemoReplicaServer implements Process {
  readonly name = 'demo-replica';

  constructor(private readonly delayMs: (ip: string, ctx: SimContext) => number = () => 1) {}

  async run(ctx: SimContext): Promise<void> {
    const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
    await transport.listen(`${ctx.myIp}:${DEMO_PORT}`);
    const values = new Map<string, string>();
    const pause = (): Promise<void> => ctx.time.sleep(this.delayMs(ctx.myIp, ctx) + ctx.random.randomRange(0, 2));
    const server = serve(transport, DemoReplica, {
      get: async ({ key }) => {
        await pause();
        return { replica: ctx.myIp, value: values.get(key) ?? null };
      },
      put: async ({ key, value }) => {
        values.set(key, value);
        await pause();
        return { replica: ctx.myIp };
      },
    });
    await new Promise<void>((resolve) => ctx.shutdown.addEventListener('abort', () => resolve(), { once: true }));
    server.stop();
    await transport.close();
  }
}

/**
 * A client transport in a workload and a typed client of every replica, in the topology's order.
 * The fan-out demos call with the default delivery mode (`getReply`, at least once) and a 500 ms
 * timeout: it reconnects to a replica that came back. With `atMostOnce: true` (`tryGetReply`) a
 * replica whose reconnect was refused while it was down stays failed for the client, whose calls to
 * it then fail at once without being sent, until something else reconnects.
 */
export function demoClients(ctx: SimContext): { transport: NetTransport; replicas: DemoClient[] } {
  const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
  return { transport, replicas: ctx.topology.processIps.map((ip) => replicaClient(transport, ip)) };
}

type DemoClient = ServiceClient<typeof DemoReplica>;

function replicaClient(transport: NetTransport, ip: string): DemoClient {
  return serviceClient(transport, DemoReplica, `${ip}:${DEMO_PORT}`);
}

/**
 * Crashes replicas on a schedule during the chaos phase: each entry crashes `count` replicas
 * (drawn at random) at `atMs` and restarts them `downMs` later.
 */
export function crashes(schedule: readonly { atMs: number; count: number; downMs: number }[]): FaultInjector {
  return {
    name: 'crashes',
    async inject(f: FaultContext): Promise<void> {
      const start = f.time.now();
      for (const { atMs, count, downMs } of schedule) {
        await f.time.sleep(Math.max(0, start + atMs - f.time.now()), f.chaosShutdown).catch(() => {});
        if (f.chaosShutdown.aborted) return;
        const alive = f.processIps.filter((ip) => f.isAlive(ip) && !f.isRebooting(ip));
        for (let i = 0; i < count && alive.length > 0; i++) {
          const [ip] = alive.splice(f.random.randomRange(0, alive.length), 1) as [string];
          f.reboot(ip, 'Crash', { recoveryDelayMs: downMs });
        }
      }
    },
  };
}
