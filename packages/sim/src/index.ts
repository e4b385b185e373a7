// The public API of @moonpool/sim, by area. Internals (kernel, hosts, exploration plumbing) are
// reached by this package's own tests through relative paths, and by other packages' tests and
// benchmarks through '@moonpool/sim/internal'.

// Building and running a simulation
export { SETTLE_TIMEOUT_MS, SimulationBuilder } from './builder/builder.js';
export { IterationControl } from './run/iteration-control.js';
export { type IndexSelection, IndexSelectionError, resolveSelection } from './run/index-selection.js';
export { formatRange, type IndexRange } from './report/index-range.js';
export { MOONPOOL_VERSION } from './report/moonpool-version.js';
export { RecipeNotReachedError } from './engine/recipe-replay.js';
export { ClientId, ProcessCount, WorkloadCount } from './engine/counts.js';
export { DEFAULT_LIMITS, type WorldLimits } from './kernel/world.js';
export { SIM_EPOCH_MS } from './hermetic/sim-clock.js';

// What processes and workloads see
export {
  type Invariant,
  type Process,
  type ProcessFactory,
  type ProcessSpawn,
  SimContext,
  type Workload,
} from './engine/context.js';
export type { ClusterControl } from './engine/cluster-control.js';
export { StateHandle } from './engine/state-handle.js';
export { type TagDimensions, Topology } from './engine/topology.js';
export { EventLog, type EventLogEntry } from './engine/event-logs.js';
export type { SimTaskProvider } from './providers/sim-task.js';
export { simRandom, simRandomBool, simRandomRange, simRandomRangeFloat } from './providers/sim-random-functions.js';
export { micros, minutes, seconds } from './kernel/ticks.js';
export type { MachineRandom, MachineRun, StateMachine } from './state-machine/machine.js';
export { runStateMachine } from './state-machine/run-state-machine.js';
export { toSeed } from './kernel/rng.js';

// Chaos: attrition, fault injectors, reboots and the fault log
export { type Attrition, ATTRITION_INTERVAL_MS } from './chaos/attrition.js';
export type { FaultContext, FaultInjector } from './chaos/fault-injector.js';
export {
  DEFAULT_GRACE_PERIOD_MS,
  DEFAULT_RECOVERY_DELAY_MS,
  type RebootKind,
  type RebootOptions,
} from './chaos/reboot.js';
export {
  FAULT_LOG,
  type FaultEvent,
  type NetworkFaultEvent,
  type ProcessFaultEvent,
  type StorageCrash,
  type StorageFaultEvent,
  type StorageReadFault,
  type StorageSyncFault,
  type StorageWipe,
  type StorageWriteFault,
} from './chaos/fault-events.js';

// Configuration of the network, its chaos and storage
export {
  ChaosConfiguration,
  CONNECT_FAILURE_MODES,
  type ConnectFailureMode,
  chaosConfiguration,
  LATENCY_DISTRIBUTIONS,
  type LatencyDistribution,
  PARTITION_STRATEGIES,
  type PartitionStrategy,
} from './config/chaos-configuration.js';
export { type DurationRange, durationRange, sampleDuration } from './config/duration-range.js';
export {
  NetworkConfiguration,
  type NetworkConfigurationInit,
  networkConfiguration,
} from './config/network-configuration.js';
export { StorageConfiguration, storageConfiguration } from './config/storage-configuration.js';

// Simulated network and storage, and unmodified node:http over them
export { markStable } from './network/sim-network-provider.js';
export { MAX_FILE_BYTES } from './storage/sim-storage-file.js';
export { SECTOR_BYTES } from './storage/torn-writes.js';
export { createSimHttpServer, type HttpServing, serveHttp } from './node-compat/http-server.js';
export { httpAgent, SimHttpAgent } from './node-compat/http-agent.js';
export { StreamSocket, type StreamSocketOptions } from './node-compat/stream-socket.js';

// Assertion results of the running simulation
export { assertionResults, panicOnAssertionViolations, resetAssertions } from './assertions/results.js';

// Reports
export {
  describeFailure,
  type Divergence,
  type FailureKind,
  type IterationFailure,
  type PendingEvent,
  type RecordedEvent,
} from './kernel/failure.js';
export {
  type IterationRun,
  reportSucceeded,
  type RunIndices,
  type SimulationReport,
} from './report/simulation-report.js';
export type { ExplorationReport, ExplorationStatus } from './report/exploration-report.js';
export type { CodeCoverageReport } from './coverage/exploration-coverage.js';
export { codeCoverageBlockCount, codeCoverageBlocksCovered, codeCoverageIsAvailable } from './coverage/code-coverage.js';
export { duration, type FormatOptions, formatReport, thousands } from './report/format-report.js';
export { describeViolations } from './report/violations.js';

// Traces of one execution (Chrome trace-event JSON for Perfetto and chrome://tracing)
export {
  DEFAULT_TRACE_MAX_BYTES,
  DEFAULT_TRACE_MAX_EVENTS,
  type TraceCut,
  type TraceOptions,
  type TraceSummary,
} from './trace/trace-options.js';
export {
  type AssertionJson,
  type ExplorationJson,
  reportToJson,
  type RunJson,
  type SimulationReportJson,
} from './report/report-json.js';

// Mergeable reports: shards and ranges of a run, merged into the report of the whole
export {
  MERGEABLE_REPORT_FORMAT,
  MERGEABLE_REPORT_FORMAT_VERSION,
  type MergeableExplorationJson,
  type MergeableInput,
  type MergeablePart,
  type MergeableReport,
  type MergeableRunJson,
  ReportMergeError,
  toMergeableReport,
} from './report/mergeable-report.js';
export { parseMergeableReport } from './report/parse-mergeable-report.js';
export {
  type MergedSimulation,
  type MergeResult,
  mergeReports,
  mergeResultToReport,
  type UnusedPart,
} from './report/merge-reports.js';
