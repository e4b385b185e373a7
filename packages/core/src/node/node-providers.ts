import type { Providers } from '../providers/providers.js';
import { NodeNetworkProvider } from './node-network.js';
import { NodeRandomProvider } from './node-random.js';
import { NodeStorageProvider } from './node-storage.js';
import { NodeTaskProvider, type UnobservedFailureHandler } from './node-task.js';
import { NodeTimeProvider } from './node-time.js';

/** Options of {@link NodeProviders}; every field is optional. */
export interface NodeProvidersOptions {
  /** Directory that relative storage paths resolve against (default: the working directory). */
  storageRoot?: string;
  /** Reports tasks that fail without being joined (default: console.error). */
  onUnobservedFailure?: UnobservedFailureHandler;
}

/** The production providers: real time, tasks, TCP, crypto randomness and files. */
export class NodeProviders implements Providers {
  /** Wall-clock time on Node timers; `timer()` equals `now()` (no drift in production). */
  readonly time: NodeTimeProvider;
  /** Tasks as plain promises on the event loop; failures nobody joins go to `onUnobservedFailure`. */
  readonly task: NodeTaskProvider;
  /** TCP on `node:net`. */
  readonly network: NodeNetworkProvider;
  /** Non-deterministic randomness from `node:crypto`. */
  readonly random: NodeRandomProvider;
  /** Files on `node:fs/promises`; relative paths resolve against `storageRoot`. */
  readonly storage: NodeStorageProvider;

  constructor(options: NodeProvidersOptions = {}) {
    this.time = new NodeTimeProvider();
    this.task = new NodeTaskProvider(options.onUnobservedFailure);
    this.network = new NodeNetworkProvider();
    this.random = new NodeRandomProvider();
    this.storage = new NodeStorageProvider(options.storageRoot);
  }
}
