import type { Machine } from '../kernel/machine.js';
import { never } from '../kernel/tasks.js';
import type { SimWorld } from '../kernel/world.js';
import type { StorageFaultEvent } from '../chaos/fault-events.js';
import type { IoClass, SimDisk } from './sim-disk.js';
import type { SimStorage } from './sim-storage.js';

/** A machine's storage, or how to get it: a cluster builds its storage on first use. */
export type StorageSource = SimStorage | (() => SimStorage);

/** What one machine's storage operations share: the world, the owner and its disk. */
export class StorageContext {
  constructor(
    readonly world: SimWorld,
    readonly owner: Machine,
    private readonly source: StorageSource,
  ) {}

  get storage(): SimStorage {
    const source = this.source;
    return typeof source === 'function' ? source() : source;
  }

  get disk(): SimDisk {
    return this.storage.disk(this.owner.ip);
  }

  emit(event: StorageFaultEvent): void {
    this.storage.emitFault(event);
  }

  /**
   * Runs `complete` after the operation's simulated delay, in an event owned by the machine: if the
   * machine is killed first, the event is dropped and the promise never settles, as for any leaf of a
   * dead incarnation. Effects and fault draws happen at completion, so a killed write leaves no trace.
   */
  io<T>(kind: number, io: IoClass, bytes: number, label: string, complete: () => T): Promise<T> {
    const { world, owner } = this;
    if (!owner.alive) return never();
    const delay = this.disk.delayTicks(world.now, io, bytes, world.rng);
    return new Promise<T>((resolve, reject) => {
      world.schedule(
        delay,
        kind,
        owner,
        () => {
          try {
            resolve(complete());
          } catch (err) {
            reject(err);
          }
        },
        label,
      );
    });
  }
}
