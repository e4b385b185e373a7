import { NetTransport, type NetworkAddress, PeerConfig, type Providers, serve } from 'moonpool';
import { compareVersions, RegisterService, type Stored } from './register-service.js';
import { ReplicaStore } from './replica-store.js';

export interface ReplicaOptions {
  /** `ip:port` to listen on (port 0 picks a free one). */
  readonly listenOn: string;
  /** Called with the state each time one becomes durable, and once at start with the one recovered. */
  readonly onDurable?: (stored: Stored) => void;
}

/** A running replica. */
export interface Replica {
  readonly address: NetworkAddress;
  /** The state it holds durably. */
  readonly stored: Stored;
  /** Requests answered: reads, and writes (of which `stores` were newer and written to disk). */
  readonly counts: { readonly reads: number; readonly writes: number; readonly stores: number };
  stop(): Promise<void>;
}

/**
 * One replica of the quorum register: its state in a `ReplicaStore` on the providers' storage (what
 * a previous incarnation synced is read back at start), served as `RegisterService` on a
 * `NetTransport`. Writes are applied one at a time, each synced before it is acknowledged, so an
 * acknowledgement always means "this replica holds this version or a newer one, durably"; reads
 * answer the durable state only. The same code runs on a simulated machine and as an OS process
 * (`NodeProviders`).
 */
export async function startReplica(providers: Providers, options: ReplicaOptions): Promise<Replica> {
  const store = await ReplicaStore.open(providers.storage);
  options.onDurable?.(store.stored);
  const transport = NetTransport.builder(providers).peerConfig(PeerConfig.localNetwork()).build();
  const address = await transport.listen(options.listenOn);
  const counts = { reads: 0, writes: 0, stores: 0 };
  // Writes in arrival order, one at a time: each compares against what the previous one left.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => {});
    return run;
  };
  const handle = serve(transport, RegisterService, {
    read: () => {
      counts.reads++;
      return store.stored;
    },
    write: (next) =>
      serialized(async () => {
        if (compareVersions(next.version, store.stored.version) > 0) {
          // A failed write or sync throws: the request is given up (BrokenPromise), never acknowledged.
          await store.persist(next);
          counts.stores++;
          options.onDurable?.(next);
        }
        counts.writes++;
        return { version: store.stored.version };
      }),
  });
  return {
    address,
    get stored() {
      return store.stored;
    },
    counts,
    async stop() {
      handle.stop();
      await transport.close();
      await queue;
      await store.close();
    },
  };
}
