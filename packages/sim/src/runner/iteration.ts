import type { AssertionStore } from '../assertions/store.js';
import type { BuggifyState } from '../chaos/buggify.js';
import { NetworkConfiguration } from '../config/network-configuration.js';
import { type ActiveSimulation, enterSimulation, exitSimulation } from '../kernel/current.js';
import { EventKind } from '../kernel/event-kind.js';
import { Executor } from '../kernel/executor.js';
import { SimProcess } from '../kernel/sim-process.js';
import { msToTicks } from '../kernel/ticks.js';
import { SimWorld } from '../kernel/world.js';
import { SimNetwork } from '../network/sim-network.js';
import { SimStorage } from '../storage/sim-storage.js';
import { StorageConfiguration } from '../config/storage-configuration.js';
import { spawnTask } from '../kernel/tasks.js';
import type { FaultContext } from './fault-context.js';
import { SimProviders } from '../providers/sim-providers.js';
import type { SleepChaos } from '../providers/sim-time.js';
import type { IterationRun } from '../report/simulation-report.js';
import { type Process, SimContext, type Workload } from './context.js';
import { type ContextFactory, ProcessHost, type StopKind, WorkloadHost } from './machines.js';
import type { SimulationPlan } from './plan.js';
import type { RebootKind, RebootOptions, SimControl } from './reboot.js';
import { StateHandle } from './state-handle.js';
import { FAULT_TIMELINE, type FaultEvent, Timelines } from './timelines.js';
import { processIp, Topology, tagsForProcess, workloadIp } from './topology.js';

/** State shared by all iterations of one run. */
export interface RunShared {
  assertions: AssertionStore;
  buggify: BuggifyState;
  traceLog: ((line: string) => void) | null;
}

/**
 * A timeline of the multiverse, re-created by replay: the run starts from the root seed and the
 * generator is reseeded each time its draw count (since the last reseed) reaches a recipe step.
 * Assertions record nothing until the last step: the ancestors already counted that prefix.
 */
export interface TimelineReplay {
  recipe: ReadonlyArray<{ readonly count: number; readonly seed: bigint }>;
  /** Each discovery of the timeline's own part: its mark, the draw count since the last reseed, and that seed. */
  onSplitpoint?: (mark: string, count: number, seed: bigint) => void;
}

/** Runs one iteration of `plan` with `seed` (optionally a replayed timeline) and reports how it went. */
export async function runIteration(
  plan: SimulationPlan,
  seed: bigint,
  shared: RunShared,
  replay?: TimelineReplay,
): Promise<IterationRun> {
  const started = performance.now();
  const world = new SimWorld(seed, plan.limits, shared.traceLog);
  const active: ActiveSimulation = {
    rng: world.rng,
    assertions: shared.assertions,
    buggify: shared.buggify,
  };
  shared.assertions.beginIteration();
  shared.buggify.beginIteration();
  if (replay) followRecipe(world, shared.assertions, replay);
  enterSimulation(active);
  let failure: string | null;
  try {
    failure = await new Iteration(plan, world, shared).run();
  } finally {
    exitSimulation(active);
    shared.assertions.suppressed = false;
    shared.assertions.onDiscovery = null;
    world.rng.setBreakpoint(-1, null);
  }
  // The hash also covers work done between events (RNG draws after the last event).
  world.trace.add(world.now, EventKind.IterationEnd, 0, world.rng.totalCalls);
  const alwaysViolations = shared.assertions.iterationAlwaysViolations();
  const run: IterationRun = {
    seed,
    ok: failure === null && alwaysViolations.length === 0,
    traceHash: world.trace.hex(),
    events: world.eventsProcessed,
    simTimeMs: world.nowMs(),
    wallMs: performance.now() - started,
    alwaysViolations,
    draws: world.rng.totalCalls,
    ownDraws: world.rng.calls,
  };
  if (failure !== null) run.error = failure;
  else if (alwaysViolations.length > 0)
    run.error = `always-assertion violated: ${alwaysViolations.join('; ')}`;
  return run;
}

/** Arms the generator to reseed at each recipe step, and the discovery hook for the own part. */
function followRecipe(world: SimWorld, assertions: AssertionStore, replay: TimelineReplay): void {
  const rng = world.rng;
  const { recipe, onSplitpoint } = replay;
  assertions.suppressed = recipe.length > 0;
  let next = 0;
  const arm = (): void => {
    const step = recipe[next];
    if (step === undefined) return;
    rng.setBreakpoint(step.count, () => {
      rng.reseed(step.seed);
      next++;
      if (next === recipe.length) assertions.suppressed = false;
      else arm();
    });
  };
  arm();
  if (onSplitpoint) assertions.onDiscovery = (mark) => onSplitpoint(mark, rng.calls, rng.seed);
}

/** One iteration's machines and phases. */
class Iteration implements SimControl {
  private readonly timelines = new Timelines();
  private readonly state = new StateHandle();
  private readonly executor: Executor;
  private readonly system = new SimProcess('sim', 'simulator', 'system');
  private readonly hosts = new Map<string, ProcessHost>();
  private readonly workloads: WorkloadHost[] = [];
  private readonly sleepChaos: SleepChaos;
  private readonly driftMaxMs: number;
  private readonly network: SimNetwork;
  private readonly storage: SimStorage;
  private readonly chaosEnd = new AbortController();
  readonly processIps: string[] = [];
  private tagsByIp: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map();

  constructor(
    private readonly plan: SimulationPlan,
    private readonly world: SimWorld,
    shared: RunShared,
  ) {
    this.executor = new Executor(world);
    const rng = world.rng;
    const config = plan.randomNetwork
      ? NetworkConfiguration.randomForSeed(rng)
      : (plan.network ?? NetworkConfiguration.default());
    this.network = new SimNetwork(world, config, {
      onFault: (event) => this.fault(event),
      buggify: (site) => shared.buggify.fires(site, rng),
    });
    this.storage = new SimStorage(rng, {
      config: plan.storage ?? StorageConfiguration.default(),
      onFault: (event) => this.fault(event),
    });
    const chaos = config.chaos;
    this.sleepChaos = {
      enabled: chaos.buggifiedDelayEnabled,
      probability: chaos.buggifiedDelayProbability,
      maxMs: chaos.buggifiedDelayMaxMs,
    };
    this.driftMaxMs = chaos.clockDriftEnabled ? chaos.clockDriftMaxMs : 0;
    this.buildMachines();
    this.network.ips = [...this.processIps, ...this.workloads.map((w) => w.machine.ip)];
    if (plan.invariants.length > 0) this.executor.afterEvent = () => this.checkInvariants();
  }

  /** Draws the iteration's machines from the plan (counts, client ids), in a fixed order. */
  private buildMachines(): void {
    const { plan, world } = this;
    const rng = world.rng;
    const processFactories: Array<() => Process> = [];
    for (const g of plan.processGroups) {
      const n = g.count.kind === 'Fixed' ? g.count.n : rng.range(g.count.min, g.count.max + 1);
      for (let i = 0; i < n; i++) processFactories.push(g.factory);
    }
    const workloadSpecs: { workload: Workload; clientId: number }[] = [];
    for (const g of plan.workloadGroups) {
      const n = g.count.kind === 'Fixed' ? g.count.n : rng.range(g.count.min, g.count.max);
      for (let i = 0; i < n; i++) {
        const cid = g.clientId;
        const clientId = cid.kind === 'Fixed' ? cid.base + i : rng.range(cid.min, cid.max);
        workloadSpecs.push({ workload: g.make(i), clientId });
      }
    }
    // The first instance of each process is built now, to learn its name; its first boot uses it.
    const firstInstances = processFactories.map((factory) => factory());
    this.processIps.push(...firstInstances.map((_, i) => processIp(i)));
    const workloadIps = workloadSpecs.map((_, i) => workloadIp(i));
    const tagsByIp = new Map(this.processIps.map((ip, i) => [ip, tagsForProcess(plan.tags, i)]));
    this.tagsByIp = tagsByIp;
    const names = new Map<string, string[]>();
    const named = [
      ...firstInstances.map((p, i) => [p.name, processIp(i)] as const),
      ...workloadSpecs.map((w, i) => [w.workload.name, workloadIp(i)] as const),
    ];
    for (const [name, ip] of named) names.set(name, [...(names.get(name) ?? []), ip]);

    const makeContext =
      (clientId: number): ContextFactory =>
      (machine) => {
        const providers = new SimProviders(world, machine, {
          sleepChaos: this.sleepChaos,
          network: this.network,
          storage: this.storage,
        });
        const topology = new Topology(
          machine.ip,
          this.processIps,
          workloadIps,
          tagsByIp.get(machine.ip) ?? {},
          tagsByIp,
          names,
        );
        const ctx = new SimContext(
          providers,
          topology,
          this.state,
          machine,
          clientId,
          this.timelines,
          () => world.nowMs(),
          this,
        );
        return { ctx, providers };
      };

    firstInstances.forEach((first, i) => {
      const machine = this.addMachine(processIp(i), first.name, 'process');
      const factory = processFactories[i] as () => Process;
      let pending: Process | null = first;
      const boot = (): Process => {
        const instance = pending ?? factory();
        pending = null;
        return instance;
      };
      this.hosts.set(
        machine.ip,
        new ProcessHost(machine, boot, makeContext(0), world, this.timelines, (how) =>
          this.machineStopped(machine.ip, how),
        ),
      );
    });
    workloadSpecs.forEach(({ workload, clientId }, i) => {
      const machine = this.addMachine(workloadIp(i), workload.name, 'workload');
      const { ctx } = makeContext(clientId)(machine);
      this.workloads.push(new WorkloadHost(machine, workload, ctx, world));
    });
    world.addProcess(this.system);
  }

  private addMachine(ip: string, name: string, kind: 'process' | 'workload'): SimProcess {
    const machine = new SimProcess(ip, name, kind);
    machine.driftTicks = this.drawDrift();
    this.world.addProcess(machine);
    return machine;
  }

  private drawDrift(): number {
    return this.driftMaxMs > 0
      ? Math.floor(this.world.rng.random() * msToTicks(this.driftMaxMs))
      : 0;
  }

  /** Runs the phases; resolves with the failure, or null. */
  async run(): Promise<string | null> {
    const outcome = await this.executor.run(this.phases());
    for (const p of this.world.processes) p.kill();
    return outcome.failure;
  }

  private async phases(): Promise<void> {
    for (const host of this.hosts.values()) host.boot();
    for (const w of this.workloads) await w.phase('setup');
    const runs = Promise.all(this.workloads.map((w) => w.phase('run')));
    if (this.plan.chaosDurationMs !== null) await this.chaosPhase(runs, this.plan.chaosDurationMs);
    await runs;
    await this.settle();
    for (const w of this.workloads) await w.phase('check');
  }

  /**
   * The chaos phase lasts `ms` or until every workload has finished, whichever comes first. Fault
   * injectors (attrition among them) run alongside; when it ends, faults stop and the network heals.
   */
  private async chaosPhase(runs: Promise<unknown>, ms: number): Promise<void> {
    const providers = new SimProviders(this.world, this.system);
    const faults = this.faultContext(providers);
    for (const injector of this.plan.injectors) {
      spawnTask(this.world, this.system, `fault:${injector.name}`, () => injector.inject(faults));
    }
    const stop = new AbortController();
    const finished = runs.then(
      () => stop.abort(),
      () => stop.abort(),
    );
    await Promise.race([providers.time.sleep(ms, stop.signal).catch(() => {}), finished]);
    this.chaosEnd.abort();
    this.network.endChaos();
  }

  /** The fault injectors' view: every action is ignored once the chaos phase has ended. */
  private faultContext(providers: SimProviders): FaultContext {
    const during =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A): void => {
        if (!this.chaosEnd.signal.aborted) fn(...args);
      };
    const net = this.network;
    return {
      processIps: this.processIps,
      ipsTagged: (key, value) => this.processIps.filter((ip) => this.tagsByIp.get(ip)?.[key] === value),
      isAlive: (ip) => this.isAlive(ip),
      isRebooting: (ip) => this.hosts.get(ip)?.isRebooting ?? false,
      reboot: during((ip: string, kind: RebootKind, options?: RebootOptions) => this.reboot(ip, kind, options)),
      partitionPair: during((a: string, b: string, ms?: number) => net.partitionPair(a, b, ms)),
      partitionSendFrom: during((ip: string, ms?: number) => net.partitionSendFrom(ip, ms)),
      partitionRecvTo: during((ip: string, ms?: number) => net.partitionRecvTo(ip, ms)),
      healAll: during(() => net.healAll()),
      swizzle: during((ips: readonly string[], ms: number) => net.swizzleMachines(ips, ms)),
      simulatePeerCrash: during((ip: string, after?: number) => net.simulatePeerCrash(ip, after)),
      simulateStorageCrash: during((ip: string) => this.storage.simulateCrashForProcess(ip)),
      wipeStorage: during((ip: string) => this.storage.wipeStorageForProcess(ip)),
      time: providers.time,
      random: providers.random,
      chaosShutdown: this.chaosEnd.signal,
    };
  }

  /** Connections of a stopped machine drain (graceful) or reset (crash). */
  private machineStopped(ip: string, how: StopKind): void {
    this.network.machineStopped(ip, how === 'graceful');
    if (how !== 'graceful') this.storage.simulateCrashForProcess(ip);
    if (how === 'wipe') this.storage.wipeStorageForProcess(ip);
  }

  private fault(event: FaultEvent): void {
    this.timelines.emit(FAULT_TIMELINE, event, this.world.nowMs(), 'sim');
  }

  /** Waits until no workload events remain, or fails the iteration after the settle timeout. */
  private settle(): Promise<void> {
    const world = this.world;
    return new Promise<void>((resolve) => {
      const timeout = world.schedule(
        msToTicks(this.plan.settleTimeoutMs),
        EventKind.SettleTimeout,
        this.system,
        () => world.fail(this.settleDiagnostics()),
        'settle',
        false,
      );
      this.executor.onSettled = () => {
        world.cancel(timeout);
        resolve();
      };
    });
  }

  private settleDiagnostics(): string {
    const busy = this.world.waitingTasks().filter((t) => t.owner.kind === 'workload');
    const pending = this.world.queue
      .items()
      .filter((e) => !e.cancelled && e.settles)
      .map((e) => `${e.owner?.ip ?? 'sim'} event #${e.seq}`);
    return (
      `settle timeout: the system did not settle within ${this.plan.settleTimeoutMs} simulated ms; ` +
      `workload tasks still running: ${busy.map((t) => t.describe()).join(', ') || '(none)'}; ` +
      `pending events: ${pending.slice(0, 20).join(', ') || '(none)'}`
    );
  }

  private checkInvariants(): void {
    const nowMs = this.world.nowMs();
    for (const inv of this.plan.invariants) {
      try {
        inv.check(this.state, nowMs);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        throw new Error(`invariant "${inv.name}" violated at ${nowMs} ms: ${msg}`, { cause: err });
      }
    }
  }

  reboot(ip: string, kind: RebootKind, options?: RebootOptions): void {
    const host = this.hosts.get(ip);
    if (host === undefined) throw new RangeError(`no process at ${ip}`);
    host.reboot(kind, options);
  }

  setProcessStorageConfig(ip: string, config: StorageConfiguration): void {
    this.storage.setProcessStorageConfig(ip, config);
  }

  isAlive(ip: string): boolean {
    return this.hosts.get(ip)?.machine.alive ?? false;
  }
}
