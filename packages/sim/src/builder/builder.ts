import {
  type BugRecipe,
  type ExplorationConfig,
  parseBugRecipe,
  validateExplorationConfig,
} from '@moonpool/explorer';
import { type Attrition, attritionInjector, validateAttrition } from '../chaos/attrition.js';
import type { FaultInjector } from '../chaos/fault-injector.js';
import { NetworkConfiguration } from '../config/network-configuration.js';
import { StorageConfiguration } from '../config/storage-configuration.js';
import type { Invariant, ProcessFactory, Workload } from '../engine/context.js';
import { ClientId, ProcessCount, WorkloadCount } from '../engine/counts.js';
import type { SimulationPlan } from '../engine/plan.js';
import type { StateHandle } from '../engine/state-handle.js';
import type { TagDimensions } from '../engine/topology.js';
import type { WorkerSource } from '../exploration/protocol.js';
import { toSeed } from '../kernel/rng.js';
import { DEFAULT_LIMITS, type WorldLimits } from '../kernel/world.js';
import type { ExplorationStatus } from '../report/exploration-report.js';
import type { IterationRun, SimulationReport } from '../report/simulation-report.js';
import type { IndexSelection } from '../run/index-selection.js';
import { IterationControl } from '../run/iteration-control.js';
import { runFingerprint } from '../run/run-fingerprint.js';
import { runSimulation } from '../run/run-simulation.js';
import { DEFAULT_BASE_SEED } from '../run/seeds.js';
import { type TraceOptions, validateTraceOptions } from '../trace/trace-options.js';

/** Simulated time the settle phase may take before the iteration fails. */
export const SETTLE_TIMEOUT_MS = 30_000;

/**
 * Configures a simulation experiment: what an iteration is made of (the plan), how many iterations
 * and which seeds, exploration or replay. `run()` hands the configuration to `runSimulation`.
 */
export class SimulationBuilder {
  private readonly plan: SimulationPlan = {
    name: 'simulation',
    processGroups: [],
    tags: [],
    workloadGroups: [],
    invariants: [],
    chaosDurationMs: null,
    randomNetwork: false,
    network: null,
    storage: null,
    injectors: [],
    limits: { ...DEFAULT_LIMITS },
    settleTimeoutMs: SETTLE_TIMEOUT_MS,
    hermetic: true,
  };
  private control: IterationControl = IterationControl.FixedCount(1);
  private debugSeeds: bigint[] = [];
  private baseSeed = DEFAULT_BASE_SEED;
  private onIteration: ((run: IterationRun, index: number) => void) | null = null;
  private exploration: ExplorationConfig | null = null;
  private replay: BugRecipe | null = null;
  private workerSource: WorkerSource | null = null;
  private readonly catalogueFrom: string[] = [];
  private onProgress: ((status: ExplorationStatus) => void) | null = null;
  private signal: AbortSignal | null = null;
  private stallTimeoutMs = 0;
  private determinismCheckEvery: number | null = null;
  private traceOptions: TraceOptions | null = null;
  private selection: IndexSelection | null = null;
  private recordMultiverse = false;

  /** Name shown in the report. */
  setName(name: string): this {
    this.plan.name = name;
    return this;
  }

  /** Adds one workload instance, reused across iterations. */
  workload(w: Workload): this {
    return this.workloadWithClientId(ClientId.Fixed(0), w);
  }

  /** Like `workload(w)`, but its `ctx.clientId` comes from `clientId` instead of `Fixed(0)`. */
  workloadWithClientId(clientId: ClientId, w: Workload): this {
    this.plan.workloadGroups.push({ count: WorkloadCount.Fixed(1), clientId, make: () => w });
    return this;
  }

  /** Adds `count` workload instances built by `factory(i)` each iteration. */
  workloads(count: number | WorkloadCount, factory: (index: number) => Workload): this {
    return this.workloadsWithClientId(count, ClientId.Fixed(0), factory);
  }

  /** Like `workloads(count, factory)`, but the instances' `ctx.clientId` come from `clientId` instead of `Fixed(0)`. */
  workloadsWithClientId(
    count: number | WorkloadCount,
    clientId: ClientId,
    factory: (index: number) => Workload,
  ): this {
    const c = typeof count === 'number' ? WorkloadCount.Fixed(count) : count;
    this.plan.workloadGroups.push({ count: c, clientId, make: factory });
    return this;
  }

  /**
   * Adds server processes; `count` is fixed, an inclusive `[min, max]` range, or a `ProcessCount`.
   * `factory({ index, ip, tags })` builds a fresh object at every boot; it may ignore its argument.
   */
  processes(count: number | readonly [number, number] | ProcessCount, factory: ProcessFactory): this {
    const c =
      typeof count === 'number'
        ? ProcessCount.Fixed(count)
        : Array.isArray(count)
          ? ProcessCount.Range(count[0], count[1])
          : (count as ProcessCount);
    this.plan.processGroups.push({ count: c, factory });
    return this;
  }

  /** Tag dimensions distributed round-robin over processes: `[['role', ['leader', 'follower']]]`. */
  tags(dimensions: TagDimensions): this {
    for (const [key, values] of dimensions) {
      if (values.length === 0) throw new RangeError(`tag dimension "${key}" has no values`);
    }
    this.plan.tags = dimensions;
    return this;
  }

  /** Adds an invariant checked after every simulation event. */
  invariant(i: Invariant): this {
    this.plan.invariants.push(i);
    return this;
  }

  /** Adds an invariant given as a function: `check` throws to fail the iteration (see {@link Invariant}). */
  invariantFn(name: string, check: (state: StateHandle, simTimeMs: number) => void): this {
    return this.invariant({ name, check });
  }

  /** Length of the chaos phase in simulated ms (faults run concurrently with workloads). */
  chaosDuration(ms: number): this {
    if (!(ms >= 0) || !Number.isFinite(ms))
      throw new RangeError(`chaosDuration must be >= 0 ms, got ${ms}`);
    this.plan.chaosDurationMs = ms;
    return this;
  }

  /** Runs exactly `n` iterations (an integer >= 1); the default is 1. */
  setIterations(n: number): this {
    this.control = IterationControl.FixedCount(n);
    return this;
  }

  /** Sets how many iterations to run (the default is `FixedCount(1)`). */
  setIterationControl(control: IterationControl): this {
    this.control = control;
    return this;
  }

  /**
   * Runs iterations until `ms` of real (wall-clock) time have passed, at least one; an iteration under way
   * finishes. This is not simulated time: `setLimits({ maxSimTimeMs })` bounds that, per iteration.
   */
  setWallClockBudget(ms: number): this {
    this.control = IterationControl.TimeLimit(ms);
    return this;
  }

  /**
   * Same as `setWallClockBudget(ms)` (the seed's name, kept for compatibility).
   * @deprecated Use `setWallClockBudget(ms)`: the old name is easily read as simulated time.
   */
  setTimeLimit(ms: number): this {
    return this.setWallClockBudget(ms);
  }

  /** Runs exactly these seeds, in order (to reproduce a failure). */
  setDebugSeeds(seeds: ReadonlyArray<bigint | number>): this {
    this.debugSeeds = seeds.map(toSeed);
    return this;
  }

  /** Start of the generated seed sequence (the default is fixed, so runs repeat unless changed). */
  setBaseSeed(seed: bigint | number): this {
    this.baseSeed = toSeed(seed);
    return this;
  }

  /** Draws a fresh `NetworkConfiguration.randomForSeed()` per iteration. */
  randomNetwork(): this {
    this.plan.randomNetwork = true;
    return this;
  }

  /** Uses this network configuration in every iteration (for example `NetworkConfiguration.fastLocal()`). */
  setNetworkConfiguration(config: NetworkConfiguration): this {
    this.plan.network = NetworkConfiguration.validate(config);
    return this;
  }

  /** Uses this storage configuration for every machine (per machine: `ctx.cluster.setProcessStorageConfig`). */
  setStorageConfiguration(config: StorageConfiguration): this {
    this.plan.storage = StorageConfiguration.validate(config);
    return this;
  }

  /** Reboots processes at random during the chaos phase (needs `chaosDuration`). */
  attrition(config: Attrition): this {
    this.plan.injectors.push(attritionInjector(validateAttrition(config)));
    return this;
  }

  /** Adds a custom fault injector run during the chaos phase (needs `chaosDuration`). */
  fault(injector: FaultInjector): this {
    this.plan.injectors.push(injector);
    return this;
  }

  /**
   * Explores the multiverse of every root seed: timelines branch at discoveries. The
   * builder's iterations are the root seeds; warm starts keep what earlier seeds discovered.
   */
  enableExploration(config: ExplorationConfig): this {
    this.exploration = validateExplorationConfig(config);
    return this;
  }

  /** Re-runs exactly the timeline of a bug found by exploration (`<seed>:<recipe>` or parsed). */
  replayRecipe(bug: BugRecipe | string): this {
    this.replay = typeof bug === 'string' ? parseBugRecipe(bug) : bug;
    return this;
  }

  /**
   * Runs every `everyNth` seed (1: every seed) a second time, on fresh state as a reproduce command
   * would, and fails the run at the first seed whose trace hash differs, naming the first event that
   * differs. In exploration the root timelines are checked, and every child started from a state
   * machine's snapshot is run again from time zero (a difference rejects the run, naming the recipe);
   * with `replayRecipe`, the timeline.
   */
  checkDeterminism(everyNth = 1): this {
    if (!Number.isSafeInteger(everyNth) || everyNth < 1) {
      throw new RangeError(`checkDeterminism(everyNth): a positive integer, got ${everyNth}`);
    }
    this.determinismCheckEvery = everyNth;
    return this;
  }

  /**
   * Writes one execution as a Chrome trace-event file (JSON) that ui.perfetto.dev and chrome://tracing
   * open: machines as processes, tasks as threads, sleeps and I/O as spans, messages as flow arrows,
   * faults and assertions as instant events, on simulated time. The run must be one execution: exactly
   * one seed (`setDebugSeeds([seed])`; for an exploring simulation, its root timeline without the
   * exploration) or `replayRecipe`. Tracing does not change the execution (same trace hash). Past
   * `maxEvents` or `maxBytes` the trace is cut; `onWritten` learns where. `null` turns tracing off.
   */
  trace(options: TraceOptions | null): this {
    if (options !== null) validateTraceOptions(options);
    this.traceOptions = options;
    return this;
  }

  /** Caps per iteration (events, simulated time) beyond which it fails as runaway. */
  setLimits(limits: Partial<WorldLimits>): this {
    const merged = { ...this.plan.limits, ...limits };
    if (!(merged.maxEvents > 0) || !(merged.maxSimTimeMs > 0)) {
      throw new RangeError('limits must be positive');
    }
    this.plan.limits = merged;
    return this;
  }

  /**
   * Hermetic mode (on unless turned off): while simulated code runs, Node's clocks (`Date`,
   * `performance.now`, `process.hrtime`), randomness (`Math.random`, `crypto`'s random functions) and
   * timers (`setTimeout`, `setInterval`, `setImmediate`, `node:timers`, `node:timers/promises`) read
   * simulated time and the seeded generator, and timers are events of the machine that created them.
   * `hermetic(false)` leaves the real ones in place.
   */
  hermetic(enabled = true): this {
    if (typeof enabled !== 'boolean') throw new TypeError(`hermetic takes a boolean, got ${typeof enabled}`);
    this.plan.hermetic = enabled;
    return this;
  }

  /**
   * Where exploration worker threads find this simulation: a module (its `import.meta.url`) and the
   * name of an export that is this builder, a function returning it, or a `defineSimulation(...)`.
   * Importing the module must have no side effects. Without it, a parallel exploration runs on the
   * main thread (with a warning). The `moonpool` command sets it for the simulations it finds.
   */
  setWorkerModule(moduleUrl: string | URL, exportName = 'default'): this {
    const url = String(moduleUrl);
    if (!URL.canParse(url)) throw new RangeError(`worker module must be a URL (import.meta.url), got ${JSON.stringify(url)}`);
    this.workerSource = { moduleUrl: url, exportName };
    return this;
  }

  /**
   * Modules (their `import.meta.url`) whose assertion sites are catalogued before the run: every
   * assertion call with a literal message reachable from them through imports. A catalogued site no
   * iteration reached is reported — a must-hit `assertAlways` as a violation, a sometimes or
   * reachable one as a coverage gap. The worker module (`setWorkerModule`, which the `moonpool`
   * command sets) is always catalogued.
   */
  catalogueAssertions(...moduleUrls: (string | URL)[]): this {
    for (const url of moduleUrls.map(String)) {
      if (!URL.canParse(url)) throw new RangeError(`catalogueAssertions takes module URLs (import.meta.url), got ${JSON.stringify(url)}`);
      this.catalogueFrom.push(url);
    }
    return this;
  }

  /** Called after every exploration batch (for a live progress display). */
  onExplorationProgress(fn: (status: ExplorationStatus) => void): this {
    this.onProgress = fn;
    return this;
  }

  /**
   * Stops the run when `signal` aborts: at the next iteration boundary (exploration: no thread begins
   * another timeline; those under way finish and are merged). `run()` then resolves to the report of
   * what ran, with `interrupted: true`. The moonpool command aborts it on SIGINT/SIGTERM.
   */
  setAbortSignal(signal: AbortSignal | null): this {
    if (signal !== null && !(signal instanceof AbortSignal)) {
      throw new TypeError('setAbortSignal takes an AbortSignal (new AbortController().signal) or null');
    }
    this.signal = signal;
    return this;
  }

  /**
   * Starts a watchdog thread for the run: when an iteration processes no simulation event for `ms`
   * of wall-clock time — simulated code stuck in a synchronous loop or an endless chain of promises —
   * it prints the seed (or recipe), the simulated time and the last event on stderr and ends the
   * process with exit code 1. Off by default in the API (0 or null turns it off); the moonpool
   * command turns it on (60 s, `--stall-timeout`).
   */
  setStallTimeout(ms: number | null): this {
    const value = ms ?? 0;
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`stall timeout must be a number of ms >= 0 (0 turns the watchdog off), got ${ms}`);
    }
    this.stallTimeoutMs = value;
    return this;
  }

  /** What one iteration is made of; exploration workers rebuild it from the worker module. */
  toPlan(): SimulationPlan {
    return this.plan;
  }

  /**
   * Keeps a bounded map of each explored multiverse in the report (`exploration.multiverse`): its
   * fork points as a tree, where its bugs sit, and the coverage curve. Off by default (it makes the
   * JSON report larger); the moonpool command turns it on for `--report`. Traces are unchanged.
   */
  recordMultiverseMap(on = true): this {
    this.recordMultiverse = on;
    return this;
  }

  /** Called after every iteration (progress display, early reporting). */
  onIterationDone(fn: (run: IterationRun, index: number) => void): this {
    this.onIteration = fn;
    return this;
  }

  /**
   * Runs only shard `index` of `count` (1-based) of the fixed iteration count: a contiguous block of
   * indices, so that `count` machines together run exactly the whole (see `toMergeableReport` and
   * `mergeReports`). Explorations then explore each root seed on its own. Checked when the run starts
   * (an `IndexSelectionError` if it cannot apply).
   */
  setShard(index: number, count: number): this {
    this.selection = { kind: 'shard', index, count };
    return this;
  }

  /** Runs only iteration indices [from, to) of the fixed iteration count (see `setShard`). */
  setIndexRange(from: number, to: number): this {
    this.selection = { kind: 'range', from, to };
    return this;
  }

  /**
   * The configuration fingerprint a run of this builder reports (`report.indices.fingerprint`),
   * computed without running it: a campaign worker compares it with its job's before running any
   * seed. Null when the iterations are not counted (a time limit, pinned seeds, a replayed recipe).
   */
  fingerprint(): string | null {
    if (this.control.kind !== 'FixedCount' || this.debugSeeds.length > 0 || this.replay !== null) return null;
    return runFingerprint({
      plan: this.plan,
      iterations: this.control.n,
      baseSeed: this.baseSeed,
      exploration: this.exploration,
      // As run-simulation decides it: a shard or range of an exploration explores each root seed on its own.
      independentRootSeeds: this.exploration !== null && this.selection !== null,
    });
  }

  /** Runs the configured simulation and reports it. */
  run(): Promise<SimulationReport> {
    return runSimulation({
      plan: this.plan,
      control: this.control,
      debugSeeds: this.debugSeeds,
      baseSeed: this.baseSeed,
      exploration: this.exploration,
      replay: this.replay,
      workerSource: this.workerSource,
      catalogueFrom: [
        ...this.catalogueFrom,
        ...(this.workerSource === null ? [] : [this.workerSource.moduleUrl]),
      ],
      onIteration: this.onIteration,
      onProgress: this.onProgress,
      signal: this.signal,
      stallTimeoutMs: this.stallTimeoutMs,
      determinismCheckEvery: this.determinismCheckEvery,
      trace: this.traceOptions,
      selection: this.selection,
      recordMultiverse: this.recordMultiverse,
    });
  }
}
