export { NodeNetworkProvider } from './node-network.js';
export { NodeProviders, type NodeProvidersOptions } from './node-providers.js';
export { NodeRandomProvider } from './node-random.js';
export { NodeStorageProvider } from './node-storage.js';
export { NodeTaskProvider, type UnobservedFailureHandler } from './node-task.js';
export { NodeTimeProvider } from './node-time.js';
