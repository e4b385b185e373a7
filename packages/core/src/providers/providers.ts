import type { NetworkProvider } from './network.js';
import type { RandomProvider } from './random.js';
import type { StorageProvider } from './storage.js';
import type { TaskProvider } from './task.js';
import type { TimeProvider } from './time.js';

/** The five providers a server or client is written against. */
export interface Providers {
  readonly time: TimeProvider;
  readonly task: TaskProvider;
  readonly network: NetworkProvider;
  readonly random: RandomProvider;
  readonly storage: StorageProvider;
}
