import {
  type NetworkProvider,
  type Providers,
  SimulationError,
  type StorageProvider,
} from '@moonpool/core';
import type { Machine } from '../kernel/machine.js';
import type { SimWorld } from '../kernel/world.js';
import { type NetworkSource, SimNetworkProvider } from '../network/sim-network-provider.js';
import { SimStorageProvider } from '../storage/sim-storage-provider.js';
import type { StorageSource } from '../storage/storage-context.js';
import { SimRandomProvider } from './sim-random.js';
import { SimTaskProvider } from './sim-task.js';
import { SimTimeProvider, type SleepChaos } from './sim-time.js';

function unavailable(what: string): never {
  throw new SimulationError(
    `the simulated ${what} is not available in this version of the simulator`,
  );
}

const noNetwork: NetworkProvider = {
  bind: () => unavailable('network'),
  connect: () => unavailable('network'),
};

const noStorage: StorageProvider = {
  open: () => unavailable('storage'),
  exists: () => unavailable('storage'),
  delete: () => unavailable('storage'),
  rename: () => unavailable('storage'),
};

/** What a machine's providers draw on beyond its world: sleep chaos, and the cluster's network and storage. */
export interface ProviderSources {
  sleepChaos?: SleepChaos;
  network?: NetworkSource;
  storage?: StorageSource;
}

/** The five providers of one simulated machine, so every wait and fault is attributed to it. */
export class SimProviders implements Providers {
  readonly time: SimTimeProvider;
  readonly task: SimTaskProvider;
  readonly random: SimRandomProvider;
  readonly network: NetworkProvider;
  readonly storage: StorageProvider;

  constructor(
    world: SimWorld,
    owner: Machine,
    options: ProviderSources = {},
  ) {
    this.time = new SimTimeProvider(world, owner, options.sleepChaos);
    this.task = new SimTaskProvider(world, owner);
    this.random = new SimRandomProvider(world.rng);
    this.network = options.network ? new SimNetworkProvider(options.network, owner) : noNetwork;
    this.storage = options.storage ? new SimStorageProvider(world, owner, options.storage) : noStorage;
  }
}
