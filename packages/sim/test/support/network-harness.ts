// A bare simulated world with a SimNetwork for network tests: machines with their providers, the
// network's fault hook recorded in memory, buggify under the test's control, and an executor that
// runs one driver task. No builder phases in between, so timings can be checked precisely.
import type { NetworkProvider } from '@moonpool/core';
import { BuggifyState } from '../../src/chaos/buggify.js';
import { ChaosConfiguration } from '../../src/config/chaos-configuration.js';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { Executor } from '../../src/kernel/executor.js';
import type { SimRng } from '../../src/kernel/rng.js';
import { Machine } from '../../src/kernel/machine.js';
import { spawnTask } from '../../src/kernel/tasks.js';
import { SimWorld } from '../../src/kernel/world.js';
import type { NetworkFaultEvent } from '../../src/chaos/fault-events.js';
import { SimNetwork } from '../../src/network/sim-network.js';
import { SimProviders } from '../../src/providers/sim-providers.js';
import type { SimTimeProvider } from '../../src/providers/sim-time.js';

/** One simulated machine and what its code would use. */
export interface NetMachine {
  readonly ip: string;
  readonly process: Machine;
  readonly providers: SimProviders;
  readonly network: NetworkProvider;
  readonly time: SimTimeProvider;
}

/** A fault of the network's hook, stamped with the simulated time it was reported. */
export interface RecordedFault {
  readonly event: NetworkFaultEvent;
  readonly timeMs: number;
}

/** How the harness answers the network's buggify questions. */
export type BuggifyMode = 'never' | 'always' | { activation: number; firing: number };

export interface NetHarnessOptions {
  seed?: bigint | number;
  config?: NetworkConfiguration;
  buggify?: BuggifyMode;
}

/**
 * A quiet configuration to start from: fastLocal latencies (1–10 µs) and every chaos knob off, with
 * `chaos` laid over `ChaosConfiguration.disabled()` and `latencies` over the fast ones. Validated.
 */
export function quietNetwork(
  chaos: Partial<ChaosConfiguration> = {},
  latencies: Partial<Omit<NetworkConfiguration, 'chaos'>> = {},
): NetworkConfiguration {
  return NetworkConfiguration.validate({
    ...NetworkConfiguration.fastLocal(),
    ...latencies,
    chaos: { ...ChaosConfiguration.disabled(), ...chaos },
  });
}

export class NetHarness {
  readonly world: SimWorld;
  readonly executor: Executor;
  readonly net: SimNetwork;
  readonly faults: RecordedFault[] = [];
  /** Sites the network asked about, in order (to check what was or was not consulted). */
  readonly buggifyCalls: string[] = [];
  private readonly driver: Machine;
  private readonly buggifyState: BuggifyState | null;

  constructor(options: NetHarnessOptions = {}) {
    this.world = new SimWorld(options.seed ?? 1n);
    this.executor = new Executor(this.world);
    const mode = options.buggify ?? 'never';
    this.buggifyState =
      typeof mode === 'object'
        ? new BuggifyState({ activationProbability: mode.activation, firingProbability: mode.firing })
        : null;
    const rng: SimRng = this.world.rng;
    this.net = new SimNetwork(this.world, options.config ?? quietNetwork(), {
      onFault: (event) => this.faults.push({ event, timeMs: this.world.nowMs() }),
      buggify: (site) => {
        this.buggifyCalls.push(site);
        if (this.buggifyState !== null) return this.buggifyState.fires(site, rng);
        return mode === 'always';
      },
    });
    this.driver = new Machine('10.0.9.9', 'driver', 'workload');
    this.world.addMachine(this.driver);
  }

  /** Adds a machine at `ip`; it takes part in automatic partitions. */
  machine(ip: string, kind: 'process' | 'workload' = 'process'): NetMachine {
    const process = new Machine(ip, ip, kind);
    this.world.addMachine(process);
    this.net.ips = [...this.net.ips, ip];
    const providers = new SimProviders(this.world, process, { network: this.net });
    return { ip, process, providers, network: providers.network, time: providers.time };
  }

  nowMs(): number {
    return this.world.nowMs();
  }

  /** Network faults of one type, in order. */
  faultsOf<T extends NetworkFaultEvent['type']>(
    type: T,
  ): Array<{ event: Extract<NetworkFaultEvent, { type: T }>; timeMs: number }> {
    return this.faults.filter((f) => f.event.type === type) as Array<{
      event: Extract<NetworkFaultEvent, { type: T }>;
      timeMs: number;
    }>;
  }

  /** Runs `main` as the driver's task until it finishes; throws with the simulation's failure. */
  async run(main: () => Promise<void>): Promise<void> {
    const task = spawnTask(this.world, this.driver, 'main', main);
    const { failure } = await this.executor.run(task.join());
    if (failure !== null) throw new Error(`simulation failed: ${failure}`);
  }
}

/** A fresh harness running `main`; returns the harness so the test can inspect faults afterwards. */
export async function runNet(
  options: NetHarnessOptions,
  main: (h: NetHarness) => Promise<void>,
): Promise<NetHarness> {
  const h = new NetHarness(options);
  await h.run(() => main(h));
  return h;
}
