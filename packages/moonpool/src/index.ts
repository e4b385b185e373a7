// The public API of moonpool, by area (docs/api.md lists it with a line each). Nothing here is an
// internal: the kernel, the explorer's bookkeeping and the simulator's plumbing stay in their packages.

// Providers: what servers and clients are written against, and their production implementations
export type {
  Listener,
  NetworkProvider,
  OpenOptions,
  Providers,
  RandomProvider,
  StorageFile,
  StorageProvider,
  Stream,
  TaskHandle,
  TaskProvider,
  TaskStatus,
  TimeProvider,
} from '@moonpool/core';
export {
  callAfter,
  NodeNetworkProvider,
  NodeProviders,
  type NodeProvidersOptions,
  NodeRandomProvider,
  NodeStorageProvider,
  NodeTaskProvider,
  NodeTimeProvider,
  type UnobservedFailureHandler,
} from '@moonpool/core';

// Core types and errors
export {
  abortError,
  Endpoint,
  IoError,
  type IoErrorCode,
  NetworkAddress,
  SimulationError,
  TimeoutError,
  UID,
  WELL_KNOWN_TOKEN_COUNT,
  WellKnownToken,
  wellKnownUid,
} from '@moonpool/core';

// Assertions and buggify: safe in production code (no-ops outside a simulation)
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
  type BucketKeys,
  type BucketQuality,
  buggify,
  buggifyWithProb,
  type IntValue,
  type NumericCmp,
} from '@moonpool/core';

// Building and running simulations
export {
  ClientId,
  DEFAULT_LIMITS,
  type Invariant,
  IterationControl,
  type Process,
  ProcessCount,
  type ProcessFactory,
  type ProcessSpawn,
  SETTLE_TIMEOUT_MS,
  SIM_EPOCH_MS,
  SimulationBuilder,
  type Workload,
  WorkloadCount,
  type WorldLimits,
} from '@moonpool/sim';

// Traces of one execution (SimulationBuilder.trace)
export {
  DEFAULT_TRACE_MAX_BYTES,
  DEFAULT_TRACE_MAX_EVENTS,
  type TraceCut,
  type TraceOptions,
  type TraceSummary,
} from '@moonpool/sim';

// What processes and workloads see
export {
  type ClusterControl,
  EventLog,
  type EventLogEntry,
  type MachineRandom,
  type MachineRun,
  micros,
  minutes,
  runStateMachine,
  seconds,
  SimContext,
  simRandom,
  simRandomBool,
  simRandomRange,
  simRandomRangeFloat,
  type SimTaskProvider,
  StateHandle,
  type StateMachine,
  type TagDimensions,
  Topology,
  toSeed,
} from '@moonpool/sim';

// Chaos
export {
  type Attrition,
  ATTRITION_INTERVAL_MS,
  DEFAULT_GRACE_PERIOD_MS,
  DEFAULT_RECOVERY_DELAY_MS,
  FAULT_LOG,
  type FaultContext,
  type FaultEvent,
  type FaultInjector,
  type NetworkFaultEvent,
  type ProcessFaultEvent,
  type RebootKind,
  type RebootOptions,
  type StorageCrash,
  type StorageFaultEvent,
  type StorageReadFault,
  type StorageSyncFault,
  type StorageWipe,
  type StorageWriteFault,
} from '@moonpool/sim';

// Configuration
export {
  ChaosConfiguration,
  CONNECT_FAILURE_MODES,
  type ConnectFailureMode,
  chaosConfiguration,
  type DurationRange,
  durationRange,
  LATENCY_DISTRIBUTIONS,
  type LatencyDistribution,
  NetworkConfiguration,
  type NetworkConfigurationInit,
  networkConfiguration,
  PARTITION_STRATEGIES,
  type PartitionStrategy,
  sampleDuration,
  StorageConfiguration,
  storageConfiguration,
} from '@moonpool/sim';

// Simulated network, storage and node:http
export {
  createSimHttpServer,
  type HttpServing,
  httpAgent,
  markStable,
  MAX_FILE_BYTES,
  SECTOR_BYTES,
  serveHttp,
  SimHttpAgent,
  StreamSocket,
  type StreamSocketOptions,
} from '@moonpool/sim';

// Exploration
export {
  type AdaptiveConfig,
  type BugRecipe,
  type CodeCoverageConfig,
  type ExplorationConfig,
  formatBugRecipe,
  formatRecipe,
  Parallelism,
  parseBugRecipe,
  parseRecipe,
  type Recipe,
  type RecipeStep,
} from '@moonpool/explorer';
export {
  codeCoverageBlockCount,
  codeCoverageBlocksCovered,
  codeCoverageIsAvailable,
  type CodeCoverageReport,
  RecipeNotReachedError,
} from '@moonpool/sim';

// Reports and assertion results
export {
  type AssertionKind,
  type AssertionResult,
  type AssertionStatus,
  type AssertionViolations,
  type BucketSummary,
  type CoveragePoint,
  type ForkRecord,
  type MultiverseMap,
  type SeedMap,
  validateResults,
} from '@moonpool/explorer';
export {
  type AssertionJson,
  assertionResults,
  describeFailure,
  describeViolations,
  type Divergence,
  duration,
  type ExplorationJson,
  type ExplorationReport,
  type ExplorationStatus,
  type FailureKind,
  type FormatOptions,
  formatReport,
  type IterationFailure,
  type IterationRun,
  type PendingEvent,
  panicOnAssertionViolations,
  type RecordedEvent,
  reportSucceeded,
  reportToJson,
  resetAssertions,
  type RunJson,
  type SimulationReport,
  type SimulationReportJson,
  thousands,
} from '@moonpool/sim';

// Shards and merges: a deterministic subset of a run, and the mergeable reports that rebuild the whole
export {
  formatRange,
  type IndexRange,
  type IndexSelection,
  IndexSelectionError,
  MERGEABLE_REPORT_FORMAT,
  MERGEABLE_REPORT_FORMAT_VERSION,
  type MergeableExplorationJson,
  type MergeableInput,
  type MergeablePart,
  type MergeableReport,
  type MergeableRunJson,
  type MergedSimulation,
  type MergeResult,
  mergeReports,
  mergeResultToReport,
  MOONPOOL_VERSION,
  parseMergeableReport,
  ReportMergeError,
  resolveSelection,
  type RunIndices,
  toMergeableReport,
  type UnusedPart,
} from '@moonpool/sim';

// Transport and RPC: wire format, peers, NetTransport, requests and replies, typed services
export {
  type AnyServiceDefinition,
  CodecError,
  crc32c,
  DEFAULT_RPC_TIMEOUT_MS,
  defineService,
  encodePacket,
  EndpointMap,
  FailureMonitor,
  type FailureStatus,
  formatIssues,
  HEADER_SIZE,
  type IncomingRequest,
  isMethodDefinition,
  jsonCodec,
  MAX_PAYLOAD_SIZE,
  MAX_PERMANENTLY_FAILED,
  type MessageCodec,
  type MessageDirection,
  type MessageReceiver,
  MessagingError,
  type MessagingErrorKind,
  method,
  MethodClient,
  type MethodDefinition,
  type MethodNames,
  type MethodOf,
  type MethodRecord,
  type MethodSchemas,
  methodToken,
  type MethodTypes,
  MonitorConfig,
  NetTransport,
  NetTransportBuilder,
  type Packet,
  PacketReader,
  parsePacket,
  Peer,
  PeerConfig,
  type PeerEvents,
  type PeerMetrics,
  type PeerProviders,
  type PeerState,
  type ReliablePacket,
  ReplyError,
  type ReplyErrorKind,
  ReplyFuture,
  type ReplyFutureOptions,
  ReplyPromise,
  type RequestInputOf,
  type RequestOf,
  type RequestOptions,
  RequestStream,
  type ResponseInputOf,
  type ResponseOf,
  serve,
  type ServerHandle,
  type ServiceClient,
  serviceClient,
  type ServiceDefinition,
  ServiceEndpoint,
  type ServiceHandlers,
  type ServiceMethod,
  type ServiceMethodOf,
  type ServiceOptions,
  type StreamToken,
  validateRequest,
  validateResponse,
  ValidationError,
  WireError,
  type WireErrorDetails,
  type WireErrorKind,
} from '@moonpool/transport';

// Fan-out: one request to many endpoints (all, a quorum, the first, every outcome)
export {
  FanOutError,
  type FanOutErrorKind,
  type FanOutFailure,
  type FanOutOptions,
  type FanOutTarget,
  fanOutAll,
  fanOutAllPartial,
  fanOutQuorum,
  fanOutRace,
} from '@moonpool/transport';

// Load balancing (SPEC §6.7): one request to the best of several servers, by distance and load
export {
  type Alternative,
  Alternatives,
  AtMostOnce,
  DEFAULT_E_FOLDING_MS,
  Distance,
  distanceName,
  loadBalance,
  LoadBalanceConfig,
  LoadBalanceError,
  type LoadBalanceErrorKind,
  type LoadBalanceOptions,
  type LoadBalanceTarget,
  ModelHolder,
  QueueModel,
  Smoother,
} from '@moonpool/transport';

// The HTML report (`--report`): one self-contained page drawn from the JSON form of reports
export { type HtmlReportInput, type SimulationJson } from './html-report/input.js';
export { renderHtmlReport } from './html-report/page.js';

// Declaring simulations for the moonpool command, and running them as tests
export { defineSimulation, isSimulationDefinition, type SimulationDefinition } from './define-simulation.js';
export {
  runSimulationTest,
  SimulationTestError,
  type SimulationTestOptions,
} from './testing/run-simulation-test.js';
