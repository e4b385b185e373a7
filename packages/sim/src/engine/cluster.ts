import type { BuggifyState } from '../chaos/buggify.js';
import { FAULT_LOG, type FaultEvent } from '../chaos/fault-events.js';
import type { RebootKind, RebootOptions } from '../chaos/reboot.js';
import { NetworkConfiguration } from '../config/network-configuration.js';
import { StorageConfiguration } from '../config/storage-configuration.js';
import { Machine } from '../kernel/machine.js';
import { msToTicks } from '../kernel/ticks.js';
import type { SimRng } from '../kernel/rng.js';
import type { SimWorld } from '../kernel/world.js';
import { SimNetwork } from '../network/sim-network.js';
import { type ProviderSources, SimProviders } from '../providers/sim-providers.js';
import type { SleepChaos } from '../providers/sim-time.js';
import { SimStorage } from '../storage/sim-storage.js';
import type { ClusterControl } from './cluster-control.js';
import { type Process, type ProcessFactory, type ProcessSpawn, SimContext, type Workload } from './context.js';
import { EventLogs } from './event-logs.js';
import type { SimulationPlan } from './plan.js';
import { ProcessHost, type StopKind } from './process-host.js';
import { StateHandle } from './state-handle.js';
import { processIp, Topology, tagsForProcess, workloadIp } from './topology.js';
import { WorkloadHost } from './workload-host.js';

/**
 * The machines of one iteration (processes and workloads, drawn from the plan) with their network,
 * storage, shared state and event logs. It is what `ctx.cluster` controls.
 */
export class Cluster implements ClusterControl {
  readonly eventLogs = new EventLogs();
  readonly state = new StateHandle();
  /** The simulator's own machine: owns the phases, the fault injectors and the settle timer. */
  readonly system = new Machine('sim', 'simulator', 'system');
  readonly hosts = new Map<string, ProcessHost>();
  readonly workloads: WorkloadHost[] = [];
  /** The network and the storage, each built on first use: many iterations never touch them. */
  readonly networkSource = (): SimNetwork => this.net ?? this.buildNetwork();
  readonly storageSource = (): SimStorage => this.disks ?? this.buildStorage();
  private net: SimNetwork | null = null;
  private disks: SimStorage | null = null;
  private readonly networkConfig: NetworkConfiguration;
  private chaosEnded = false;
  readonly processIps: string[] = [];
  private readonly workloadIps: string[] = [];
  readonly tagsByIp = new Map<string, Readonly<Record<string, string>>>();
  /** The IPs of the machines of each name (processes first, in boot order). */
  readonly ipsByName = new Map<string, string[]>();
  /** What every machine's providers are built from (read once, by their constructor). */
  private readonly providerSources: ProviderSources;
  private readonly nowMs = (): number => this.world.nowMs();
  private readonly driftMaxMs: number;

  constructor(
    private readonly plan: SimulationPlan,
    readonly world: SimWorld,
    private readonly buggify: BuggifyState,
  ) {
    const rng = world.rng;
    // Drawn now, whether or not the network is ever built: the draws shape the rest of the iteration.
    const config = plan.randomNetwork
      ? NetworkConfiguration.randomForSeed(rng)
      : (plan.network ?? NetworkConfiguration.default());
    this.networkConfig = config;
    const chaos = config.chaos;
    const sleepChaos: SleepChaos = {
      enabled: chaos.buggifiedDelayEnabled,
      probability: chaos.buggifiedDelayProbability,
      maxMs: chaos.buggifiedDelayMaxMs,
    };
    this.providerSources = { sleepChaos, network: this.networkSource, storage: this.storageSource };
    this.driftMaxMs = chaos.clockDriftEnabled ? chaos.clockDriftMaxMs : 0;
    this.buildMachines();
  }

  get network(): SimNetwork {
    return this.networkSource();
  }

  get storage(): SimStorage {
    return this.storageSource();
  }

  /** The chaos phase ended: the network's faults stop (also for a network built after it). */
  endChaos(): void {
    this.chaosEnded = true;
    this.net?.endChaos();
  }

  // Building draws nothing and schedules nothing, so when it happens does not change the iteration.
  private buildNetwork(): SimNetwork {
    const rng = this.world.rng;
    const buggify = this.buggify;
    const net = new SimNetwork(this.world, this.networkConfig, {
      onFault: (event) => this.fault(event),
      buggify: (site) => buggify.fires(site, rng),
    });
    net.ips = [...this.processIps, ...this.workloads.map((w) => w.machine.ip)];
    if (this.chaosEnded) net.endChaos();
    this.net = net;
    return net;
  }

  private buildStorage(): SimStorage {
    const storage = new SimStorage(this.world.rng, {
      config: this.plan.storage ?? StorageConfiguration.default(),
      onFault: (event) => this.fault(event),
    });
    this.disks = storage;
    return storage;
  }

  /** Draws the iteration's machines from the plan (counts, client ids), in a fixed order. */
  private buildMachines(): void {
    const { plan, world } = this;
    const processes = drawProcesses(plan, world.rng);
    const workloads = drawWorkloads(plan, world.rng);
    // The first instance of each process is built now, to learn its name; its first boot uses it.
    const firstInstances: Process[] = [];
    for (const p of processes) firstInstances.push(p.factory(p.spawn));
    for (let i = 0; i < processes.length; i++) {
      const ip = processIp(i);
      this.processIps.push(ip);
      this.tagsByIp.set(ip, tagsForProcess(plan.tags, i));
      this.nameMachine((firstInstances[i] as Process).name, ip);
    }
    for (let i = 0; i < workloads.length; i++) {
      const ip = workloadIp(i);
      this.workloadIps.push(ip);
      this.nameMachine((workloads[i] as DrawnWorkload).workload.name, ip);
    }
    for (let i = 0; i < processes.length; i++) {
      this.addProcess(processIp(i), firstInstances[i] as Process, processes[i] as DrawnProcess);
    }
    for (let i = 0; i < workloads.length; i++) this.addWorkload(workloadIp(i), workloads[i] as DrawnWorkload);
    world.addMachine(this.system);
  }

  private nameMachine(name: string, ip: string): void {
    const ips = this.ipsByName.get(name);
    if (ips === undefined) this.ipsByName.set(name, [ip]);
    else ips.push(ip);
  }

  private addProcess(ip: string, first: Process, { factory, spawn }: DrawnProcess): void {
    const machine = this.addMachine(ip, first.name, 'process');
    let pending: Process | null = first;
    const boot = (): Process => {
      const instance = pending ?? factory(spawn);
      pending = null;
      return instance;
    };
    const makeContext = (m: Machine): SimContext => this.contextFor(m, 0);
    const onStopped = (how: StopKind): void => this.machineStopped(ip, how);
    this.hosts.set(ip, new ProcessHost(machine, boot, makeContext, this.world, this.eventLogs, onStopped));
  }

  private addWorkload(ip: string, { workload, clientId }: DrawnWorkload): void {
    const machine = this.addMachine(ip, workload.name, 'workload');
    this.workloads.push(new WorkloadHost(machine, workload, this.contextFor(machine, clientId), this.world));
  }

  /** The context of one incarnation of `machine`. */
  private contextFor(machine: Machine, clientId: number): SimContext {
    const providers = new SimProviders(this.world, machine, this.providerSources);
    const tags = this.tagsByIp.get(machine.ip) ?? {};
    const topology = new Topology(machine.ip, this.processIps, this.workloadIps, tags, this.tagsByIp, this.ipsByName);
    return new SimContext(providers, topology, this.state, machine, clientId, this.eventLogs, this.nowMs, this);
  }

  private addMachine(ip: string, name: string, kind: 'process' | 'workload'): Machine {
    const machine = new Machine(ip, name, kind);
    machine.driftTicks = this.drawDrift();
    this.world.addMachine(machine);
    return machine;
  }

  private drawDrift(): number {
    return this.driftMaxMs > 0
      ? Math.floor(this.world.rng.random() * msToTicks(this.driftMaxMs))
      : 0;
  }

  /** Connections of a stopped machine drain (graceful) or reset (crash). */
  private machineStopped(ip: string, how: StopKind): void {
    this.net?.machineStopped(ip, how === 'graceful');
    if (how !== 'graceful') this.storage.simulateCrashForProcess(ip);
    if (how === 'wipe') this.storage.wipeStorageForProcess(ip);
  }

  private fault(event: FaultEvent): void {
    this.world.tracer?.fault(event);
    this.eventLogs.emit(FAULT_LOG, event, this.world.nowMs(), 'sim');
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

  isRebooting(ip: string): boolean {
    return this.hosts.get(ip)?.isRebooting ?? false;
  }
}

/** A process the iteration boots: its group's factory and what the factory is told. */
interface DrawnProcess {
  readonly factory: ProcessFactory;
  readonly spawn: ProcessSpawn;
}

/** A workload instance of the iteration with its client id. */
interface DrawnWorkload {
  readonly workload: Workload;
  readonly clientId: number;
}

/** The processes of each group, their counts drawn from the plan (group by group). */
function drawProcesses(plan: SimulationPlan, rng: SimRng): DrawnProcess[] {
  const out: DrawnProcess[] = [];
  for (const g of plan.processGroups) {
    const n = g.count.kind === 'Fixed' ? g.count.n : rng.range(g.count.min, g.count.max + 1);
    for (let i = 0; i < n; i++) {
      const global = out.length;
      const spawn: ProcessSpawn = {
        index: i,
        ip: processIp(global),
        tags: Object.freeze(tagsForProcess(plan.tags, global)),
      };
      out.push({ factory: g.factory, spawn });
    }
  }
  return out;
}

/** The workload instances of each group, their counts and client ids drawn from the plan. */
function drawWorkloads(plan: SimulationPlan, rng: SimRng): DrawnWorkload[] {
  const out: DrawnWorkload[] = [];
  for (const g of plan.workloadGroups) {
    const n = g.count.kind === 'Fixed' ? g.count.n : rng.range(g.count.min, g.count.max);
    for (let i = 0; i < n; i++) {
      const cid = g.clientId;
      const clientId = cid.kind === 'Fixed' ? cid.base + i : rng.range(cid.min, cid.max);
      out.push({ workload: g.make(i), clientId });
    }
  }
  return out;
}
