// A bare simulated world for kernel tests: machines, providers without sleep chaos, and an executor,
// with no builder phases in between.
import { Executor } from '../../src/kernel/executor.js';
import { describeFailure } from '../../src/kernel/failure.js';
import { Machine } from '../../src/kernel/machine.js';
import { spawnTask } from '../../src/kernel/tasks.js';
import { DEFAULT_LIMITS, SimWorld, type WorldLimits } from '../../src/kernel/world.js';
import { SimProviders } from '../../src/providers/sim-providers.js';

export interface TestMachine {
  readonly machine: Machine;
  readonly providers: SimProviders;
}

export class KernelHarness {
  readonly world: SimWorld;
  readonly executor: Executor;

  constructor(seed: bigint | number = 1n, limits: WorldLimits = DEFAULT_LIMITS) {
    this.world = new SimWorld(seed, limits);
    this.executor = new Executor(this.world);
  }

  machine(ip: string, name: string = ip, kind: 'process' | 'workload' = 'workload'): TestMachine {
    const machine = new Machine(ip, name, kind);
    this.world.addMachine(machine);
    return { machine, providers: new SimProviders(this.world, machine) };
  }

  /** Runs `main` as task "main" of a workload machine until it settles; resolves with the failure. */
  async run(main: (m: TestMachine) => Promise<void>): Promise<string | null> {
    const m = this.machine('10.0.0.1', 'main');
    const handle = spawnTask(this.world, m.machine, 'main', () => main(m));
    const outcome = await this.executor.run(handle.join());
    return outcome.failure === null ? null : describeFailure(outcome.failure);
  }
}

/** Runs `main` in a fresh harness and fails the test with the simulation's failure, if any. */
export async function runKernel(
  main: (m: TestMachine, h: KernelHarness) => Promise<void>,
  seed: bigint | number = 1n,
): Promise<KernelHarness> {
  const h = new KernelHarness(seed);
  const failure = await h.run((m) => main(m, h));
  if (failure !== null) throw new Error(`simulation failed: ${failure}`);
  return h;
}
