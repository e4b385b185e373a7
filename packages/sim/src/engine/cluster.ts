import type { BuggifyState } from '../chaos/buggify.js';
import { FAULT_LOG, type FaultEvent } from '../chaos/fault-events.js';
import type { RebootKind, RebootOptions } from '../chaos/reboot.js';
import { NetworkConfiguration } from '../config/network-configuration.js';
import { StorageConfiguration } from '../config/storage-configuration.js';
import { Machine } from '../kernel/machine.js';
import { msToTicks } from '../kernel/ticks.js';
import type { SimWorld } from '../kernel/world.js';
import { SimNetwork } from '../network/sim-network.js';
import { SimProviders } from '../providers/sim-providers.js';
import type { SleepChaos } from '../providers/sim-time.js';
import { SimStorage } from '../storage/sim-storage.js';
import type { ClusterControl } from './cluster-control.js';
import { type Process, type ProcessSpawn, SimContext, type Workload } from './context.js';
import { EventLogs } from './event-logs.js';
import type { SimulationPlan } from './plan.js';
import { type ContextFactory, ProcessHost, type StopKind } from './process-host.js';
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
  tagsByIp: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map();
  /** The IPs of the machines of each name (processes first, in boot order). */
  ipsByName: ReadonlyMap<string, readonly string[]> = new Map();
  private readonly sleepChaos: SleepChaos;
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
    this.sleepChaos = {
      enabled: chaos.buggifiedDelayEnabled,
      probability: chaos.buggifiedDelayProbability,
      maxMs: chaos.buggifiedDelayMaxMs,
    };
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
    const rng = world.rng;
    // Each process is booted by its group's factory, told its index in the group, IP and tags.
    const processBoots: Array<() => Process> = [];
    for (const g of plan.processGroups) {
      const n = g.count.kind === 'Fixed' ? g.count.n : rng.range(g.count.min, g.count.max + 1);
      for (let i = 0; i < n; i++) {
        const global = processBoots.length;
        const spawn: ProcessSpawn = {
          index: i,
          ip: processIp(global),
          tags: Object.freeze(tagsForProcess(plan.tags, global)),
        };
        const factory = g.factory;
        processBoots.push(() => factory(spawn));
      }
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
    const firstInstances = processBoots.map((boot) => boot());
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
    this.ipsByName = names;

    const makeContext =
      (clientId: number): ContextFactory =>
      (machine) => {
        const providers = new SimProviders(world, machine, {
          sleepChaos: this.sleepChaos,
          network: this.networkSource,
          storage: this.storageSource,
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
          this.eventLogs,
          () => world.nowMs(),
          this,
        );
        return { ctx, providers };
      };

    firstInstances.forEach((first, i) => {
      const machine = this.addMachine(processIp(i), first.name, 'process');
      const factory = processBoots[i] as () => Process;
      let pending: Process | null = first;
      const boot = (): Process => {
        const instance = pending ?? factory();
        pending = null;
        return instance;
      };
      this.hosts.set(
        machine.ip,
        new ProcessHost(machine, boot, makeContext(0), world, this.eventLogs, (how) =>
          this.machineStopped(machine.ip, how),
        ),
      );
    });
    workloadSpecs.forEach(({ workload, clientId }, i) => {
      const machine = this.addMachine(workloadIp(i), workload.name, 'workload');
      const { ctx } = makeContext(clientId)(machine);
      this.workloads.push(new WorkloadHost(machine, workload, ctx, world));
    });
    world.addMachine(this.system);
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
