import { buggifyWithProb, NetTransport, type NetworkAddress, PeerConfig, type Providers, serve } from 'moonpool';
import { compareVersions, RegisterService, type Stored, type Version } from './register-service.js';
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
 * `NetTransport`. A write is acknowledged only once the replica holds its version or a newer one
 * durably (synced); writes that arrive while the disk is busy are committed together, the newest of
 * them once (group commit). Reads answer the durable state only. The same code runs on a simulated
 * machine and as an OS process (`NodeProviders`).
 */
export async function startReplica(providers: Providers, options: ReplicaOptions): Promise<Replica> {
  const store = await ReplicaStore.open(providers.storage);
  options.onDurable?.(store.stored);
  const transport = NetTransport.builder(providers).peerConfig(PeerConfig.localNetwork()).build();
  const address = await transport.listen(options.listenOn);
  const counts = { reads: 0, writes: 0, stores: 0 };
  const commits = new GroupCommit(store, providers, (stored) => {
    counts.stores++;
    options.onDurable?.(stored);
  });
  const handle = serve(transport, RegisterService, {
    read: () => {
      counts.reads++;
      return store.stored;
    },
    write: async (next) => {
      // A failed write or sync rejects: the request is given up (BrokenPromise), never acknowledged.
      const version = await commits.write(next);
      counts.writes++;
      return { version };
    },
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
      await commits.idle();
      await store.close();
    },
  };
}

/** How often a commit stalls 10–100 ms in simulation, when the site is active (never in production). */
const STALL_PROBABILITY = 0.005;

interface Waiter {
  readonly version: Version;
  resolve(held: Version): void;
  reject(error: unknown): void;
}

/**
 * Writes to a `ReplicaStore`, one disk write and sync at a time. The writes that arrive meanwhile
 * wait; the next commit stores the newest of them (if it is newer than what is stored) and answers
 * them all with the version then held. Older versions never reach the disk: a replica only moves
 * forward.
 */
class GroupCommit {
  private waiting: { next: Stored; waiter: Waiter }[] = [];
  private busy = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ReplicaStore,
    private readonly providers: Providers,
    private readonly stored: (stored: Stored) => void,
  ) {}

  /** Resolves with the version held durably once it is `next`'s or newer. */
  write(next: Stored): Promise<Version> {
    return new Promise<Version>((resolve, reject) => {
      this.waiting.push({ next, waiter: { version: next.version, resolve, reject } });
      if (!this.busy) {
        // Set before drain() runs: with nothing to write it finishes (busy false) before returning.
        this.busy = true;
        this.running = this.drain();
      }
    });
  }

  /** Resolves once no commit is running. */
  idle(): Promise<void> {
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      let newest = this.store.stored;
      for (const { next } of batch) if (compareVersions(next.version, newest.version) > 0) newest = next;
      try {
        if (newest !== this.store.stored) {
          // In simulation, now and then a disk that stalls (the replica falls behind meanwhile).
          if (buggifyWithProb('register.replica.disk_stall', STALL_PROBABILITY)) {
            await this.providers.time.sleep(this.providers.random.randomRange(10, 100));
          }
          await this.store.persist(newest);
          this.stored(newest);
        }
        for (const { waiter } of batch) waiter.resolve(this.store.stored.version);
      } catch (error) {
        for (const { waiter } of batch) waiter.reject(error);
      }
    }
    this.busy = false;
  }
}
