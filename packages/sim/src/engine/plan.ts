import type { NetworkConfiguration } from '../config/network-configuration.js';
import type { StorageConfiguration } from '../config/storage-configuration.js';
import type { FaultInjector } from '../chaos/fault-injector.js';
import type { WorldLimits } from '../kernel/world.js';
import type { Invariant, ProcessFactory, Workload } from './context.js';
import type { ClientId, ProcessCount, WorkloadCount } from './counts.js';
import type { TagDimensions } from './topology.js';

export interface ProcessGroup {
  count: ProcessCount;
  factory: ProcessFactory;
}

export interface WorkloadGroup {
  count: WorkloadCount;
  clientId: ClientId;
  /** Builds instance `i` for an iteration (a single `workload(w)` returns the same object every time). */
  make: (index: number) => Workload;
}

/** Everything the builder collected: what one iteration is made of. */
export interface SimulationPlan {
  name: string;
  processGroups: ProcessGroup[];
  tags: TagDimensions;
  workloadGroups: WorkloadGroup[];
  invariants: Invariant[];
  chaosDurationMs: number | null;
  randomNetwork: boolean;
  /** Fixed network configuration (null: `NetworkConfiguration.default()`). */
  network: NetworkConfiguration | null;
  /** Storage configuration of every machine (null: `StorageConfiguration.default()`). */
  storage: StorageConfiguration | null;
  /** Run during the chaos phase (attrition is one of them). */
  injectors: FaultInjector[];
  limits: WorldLimits;
  /** Simulated time the settle phase may take before the iteration fails. */
  settleTimeoutMs: number;
  /** Node's clocks, randomness and timers are simulated while simulated code runs. */
  hermetic: boolean;
}
