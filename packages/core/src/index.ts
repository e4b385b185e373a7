export { describeError, type DescribeErrorOptions } from './describe-error.js';
export * from './errors.js';
export * from './node/index.js';
export type * from './providers/network.js';
export type * from './providers/providers.js';
export type * from './providers/random.js';
export type * from './providers/storage.js';
export {
  checkStorageCount,
  checkStoragePath,
  storageOpenMode,
  type StorageOpenMode,
} from './providers/storage-checks.js';
export type * from './providers/task.js';
export type * from './providers/time.js';
export * from './types/endpoint.js';
export * from './types/network-address.js';
export * from './types/uid.js';
export * from './types/well-known-token.js';
