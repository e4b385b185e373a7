import type { SimulationBuilder } from '@moonpool/sim';

const SIMULATION = Symbol.for('moonpool.simulation');

/** A named simulation the `moonpool` command can list and run. */
export interface SimulationDefinition {
  /** The brand `isSimulationDefinition` recognises (a registered symbol: it survives duplicate module copies). */
  readonly [SIMULATION]: true;
  /** Unique name: lowercase letters, digits, `-`, `_`, `:`. */
  readonly name: string;
  /** One line for `moonpool sim list` (empty when none was given). */
  readonly description: string;
  /**
   * The simulation demonstrates a bug: the run succeeds when at least one seed fails, and fails when
   * none does (the bug was not found). Used by examples with deliberately seeded bugs.
   */
  readonly expectFailure: boolean;
  /** Builds a fresh builder; the command line then pins seeds and iterations before running it. */
  build(): SimulationBuilder;
}

const NAME = /^[a-z0-9][a-z0-9_:-]*$/;

/**
 * Declares a simulation. Export the result from a file named `*.sim.ts` (compiled to `*.sim.js`) and
 * `moonpool sim list` finds it.
 */
export function defineSimulation(def: {
  name: string;
  description?: string;
  expectFailure?: boolean;
  build: () => SimulationBuilder;
}): SimulationDefinition {
  if (!NAME.test(def.name)) {
    throw new RangeError(
      `simulation name ${JSON.stringify(def.name)} must match ${NAME} (lowercase, digits, - _ :)`,
    );
  }
  return {
    [SIMULATION]: true,
    name: def.name,
    description: def.description ?? '',
    expectFailure: def.expectFailure ?? false,
    build: () => checkedBuilder(def.name, def.build()).setName(def.name),
  };
}

/** `build()` must hand back a builder: say so, rather than fail later on a missing method. */
function checkedBuilder(name: string, built: unknown): SimulationBuilder {
  const looksLikeBuilder =
    typeof built === 'object' &&
    built !== null &&
    typeof (built as Partial<SimulationBuilder>).setName === 'function' &&
    typeof (built as Partial<SimulationBuilder>).run === 'function';
  if (looksLikeBuilder) return built as SimulationBuilder;
  throw new TypeError(
    `simulation '${name}': build() must return a SimulationBuilder, got ${describeValue(built)}`,
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function') {
    return 'a Promise (build() must not be async: return the builder itself)';
  }
  if (typeof value === 'object') {
    const ctor = (value as object).constructor?.name;
    return ctor !== undefined && ctor !== 'Object' ? `an instance of ${ctor}` : 'a plain object';
  }
  return typeof value === 'function' ? 'a function (call it: return its builder)' : typeof value;
}

/** Whether `value` was made by `defineSimulation` (what the command looks for in `*.sim.js` exports). */
export function isSimulationDefinition(value: unknown): value is SimulationDefinition {
  return typeof value === 'object' && value !== null && SIMULATION in value;
}
