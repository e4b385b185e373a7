// The public API of @moonpool/core, by area.

// Provider interfaces: what servers and clients are written against
export type { Listener, NetworkProvider, Stream } from './providers/network.js';
export type { Providers } from './providers/providers.js';
export type { RandomProvider } from './providers/random.js';
export type { OpenOptions, StorageFile, StorageProvider } from './providers/storage.js';
export type { TaskHandle, TaskProvider, TaskStatus } from './providers/task.js';
export type { TimeProvider } from './providers/time.js';
export { callAfter } from './providers/call-after.js';
export { type AbortAction, SharedAbortListener } from './providers/shared-abort-listener.js';
export {
  checkStorageCount,
  checkStoragePath,
  storageOpenMode,
  type StorageOpenMode,
} from './providers/storage-checks.js';

// Production providers on Node
export { NodeNetworkProvider } from './node/node-network.js';
export { NodeProviders, type NodeProvidersOptions } from './node/node-providers.js';
export { NodeRandomProvider } from './node/node-random.js';
export { NodeStorageProvider } from './node/node-storage.js';
export { NodeTaskProvider, type UnobservedFailureHandler } from './node/node-task.js';
export { NodeTimeProvider } from './node/node-time.js';

// Core types and errors
export { Endpoint } from './types/endpoint.js';
export { NetworkAddress } from './types/network-address.js';
export { UID } from './types/uid.js';
export { WELL_KNOWN_TOKEN_COUNT, WellKnownToken, wellKnownUid } from './types/well-known-token.js';
export { abortError, IoError, type IoErrorCode, SimulationError, TimeoutError } from './errors.js';
export { describeError, type DescribeErrorOptions } from './describe-error.js';
export { ArrayQueue } from './array-queue.js';
export { allocateBytes } from './byte-slab.js';

// Assertions and buggify: no-ops until a simulation installs its implementation
export {
  assertAlways,
  assertAlwaysGreaterThan,
  assertAlwaysGreaterThanOrEqualTo,
  assertAlwaysLessThan,
  assertAlwaysLessThanOrEqualTo,
  assertAlwaysOrUnreachable,
  assertReachable,
  assertSometimes,
  assertSometimesAll,
  assertSometimesEach,
  assertSometimesGreaterThan,
  assertSometimesGreaterThanOrEqualTo,
  assertSometimesLessThan,
  assertSometimesLessThanOrEqualTo,
  assertUnreachable,
} from './instrumentation/assertions.js';
export { buggify, buggifyWithProb } from './instrumentation/buggify.js';
export {
  type AssertionRecorder,
  type BucketKeys,
  type BucketQuality,
  currentInstrumentation,
  type Instrumentation,
  installInstrumentation,
  type IntValue,
  type NumericCmp,
  uninstallInstrumentation,
} from './instrumentation/instrumentation.js';
