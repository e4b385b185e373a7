import type { NetworkProvider } from './network.js';
import type { RandomProvider } from './random.js';
import type { StorageProvider } from './storage.js';
import type { TaskProvider } from './task.js';
import type { TimeProvider } from './time.js';

/** The five providers a server or client is written against. */
export interface Providers {
  /** Current time, sleeps and timeouts. */
  readonly time: TimeProvider;
  /** Spawning named local tasks and yielding to others. */
  readonly task: TaskProvider;
  /** TCP listeners and connections. */
  readonly network: NetworkProvider;
  /** Random numbers: seeded and reproducible in a simulation. */
  readonly random: RandomProvider;
  /** Files by path. */
  readonly storage: StorageProvider;
}
