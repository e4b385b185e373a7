// Internals of @moonpool/sim for other packages' tests and for the benchmarks: not a public API and
// not re-exported by 'moonpool'. Reached as '@moonpool/sim/internal'.
export { BuggifyState } from './chaos/buggify.js';
export { attritionInjector, chooseRebootKind, validateAttrition } from './chaos/attrition.js';
export { type RunShared, runIteration } from './engine/iteration.js';
export { enterHermetic } from './hermetic/hermetic.js';
export type { SimulationPlan } from './engine/plan.js';
export { activeWorld, enterWorld, exitWorld } from './kernel/active-world.js';
export { EventKind, eventKindName } from './kernel/event-kind.js';
export { EventQueue } from './kernel/event-queue.js';
export { Executor } from './kernel/executor.js';
export { Machine } from './kernel/machine.js';
export { SimRng } from './kernel/rng.js';
export { spawnTask } from './kernel/tasks.js';
export { msToTicks, ticksToMs } from './kernel/ticks.js';
export { SimWorld } from './kernel/world.js';
export { SimNetwork } from './network/sim-network.js';
export { SimNetworkProvider } from './network/sim-network-provider.js';
export { SimProviders } from './providers/sim-providers.js';
export { SimStorage } from './storage/sim-storage.js';
export { SimStorageProvider } from './storage/sim-storage-provider.js';
