// Public configuration API; the field-check helpers in duration-range.ts stay internal.
export {
  ChaosConfiguration,
  CONNECT_FAILURE_MODES,
  type ConnectFailureMode,
  chaosConfiguration,
  LATENCY_DISTRIBUTIONS,
  type LatencyDistribution,
  PARTITION_STRATEGIES,
  type PartitionStrategy,
} from './chaos-configuration.js';
export { type DurationRange, durationRange, sampleDuration } from './duration-range.js';
export {
  NetworkConfiguration,
  type NetworkConfigurationInit,
  networkConfiguration,
} from './network-configuration.js';
export { StorageConfiguration, storageConfiguration } from './storage-configuration.js';
