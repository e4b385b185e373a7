import type { FaultContext, FaultInjector } from 'moonpool';
import { homeOf } from './lb-topology.js';

/** A client machine and the replica it runs next to. */
export interface ClientPlace {
  readonly ip: string;
  readonly home: number;
}

/**
 * Partitions between a client and its closest replicas, so that the load balancer has to fall back:
 * every few hundred ms during the chaos phase, one client is cut for 0.3–2.5 s from its own
 * machine's replica (35 %), or from every replica of its data centre (25 %), or from one replica
 * drawn at random (25 %), or from every replica (15 %: every alternative fails, a backoff follows).
 */
export function clientPartitions(clients: readonly ClientPlace[], pauseMs: readonly [number, number]): FaultInjector {
  return {
    name: 'client partitions',
    async inject(f: FaultContext): Promise<void> {
      const { random } = f;
      while (!f.chaosShutdown.aborted) {
        await f.time.sleep(random.randomRange(pauseMs[0], pauseMs[1]), f.chaosShutdown).catch(() => {});
        if (f.chaosShutdown.aborted) return;
        const client = clients[random.randomRange(0, clients.length)] as ClientPlace;
        const home = homeOf(client.home);
        const roll = random.random();
        const cut =
          roll < 0.35
            ? f.ipsTagged('machine', home.machine)
            : roll < 0.6
              ? f.ipsTagged('dc', home.dc)
              : roll < 0.85
                ? [f.processIps[random.randomRange(0, f.processIps.length)] as string]
                : f.processIps;
        const ms = random.randomRange(300, 2500);
        for (const ip of cut) f.partitionPair(client.ip, ip, ms);
      }
    },
  };
}
