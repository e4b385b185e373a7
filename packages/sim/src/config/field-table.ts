import type { SimRng } from '../kernel/rng.js';
import { checkKnownFields } from './duration-range.js';

/**
 * Everything about one configuration field, written once: a configuration module keeps a table of
 * these and derives its type, presets, validation and seeded draw from it.
 */
export interface FieldSpec<T> {
  /** Returns the value or throws a RangeError naming `field` (the field's name, prefixed). */
  readonly check: (field: string, value: unknown) => T;
  readonly default: T;
  /** Draws the value for `randomForSeed`; a fixed value draws nothing. */
  readonly random: (rng: SimRng) => T;
  /**
   * The value in the quiet preset (`ChaosConfiguration.disabled()`, the network's and storage's
   * `fastLocal()`); omitted, the default.
   */
  readonly quiet?: T;
}

export type FieldTable = Readonly<Record<string, FieldSpec<unknown>>>;

/** The configuration a table describes: one readonly property per entry, typed by its check. */
export type FieldValues<T extends FieldTable> = {
  readonly [K in keyof T]: ReturnType<T[K]['check']>;
};

type Check = (field: string, value: unknown) => unknown;

/**
 * A table entry whose type is what `check` returns. The other values must be of that type but do not
 * shape it, so a stray value cannot widen it (a constant draw of a string union therefore needs
 * `as const`).
 */
export function field<C extends Check>(
  check: C,
  spec: {
    readonly default: ReturnType<C>;
    readonly random: (rng: SimRng) => ReturnType<C>;
    readonly quiet?: ReturnType<C>;
  },
): FieldSpec<ReturnType<C>> {
  // C returns ReturnType<C> by definition; TypeScript cannot see that through the generic.
  return Object.freeze({ check: check as (field: string, value: unknown) => ReturnType<C>, ...spec });
}

/** One value per entry, in table order, frozen. */
function mapTable<T extends FieldTable>(
  table: T,
  valueOf: (spec: FieldSpec<unknown>, name: string) => unknown,
): FieldValues<T> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) out[name] = valueOf(spec, name);
  return Object.freeze(out) as FieldValues<T>;
}

// The presets are frozen, so each is built once per table: an iteration reads the defaults when the
// plan sets no configuration, and rebuilding them every time was a measurable part of its cost.
const defaultsCache = new WeakMap<FieldTable, unknown>();
const quietCache = new WeakMap<FieldTable, unknown>();

function cached<T extends FieldTable>(
  cache: WeakMap<FieldTable, unknown>,
  table: T,
  build: () => FieldValues<T>,
): FieldValues<T> {
  let values = cache.get(table) as FieldValues<T> | undefined;
  if (values === undefined) {
    values = build();
    cache.set(table, values);
  }
  return values;
}

export function defaultsOf<T extends FieldTable>(table: T): FieldValues<T> {
  return cached(defaultsCache, table, () => mapTable(table, (spec) => spec.default));
}

export function quietOf<T extends FieldTable>(table: T): FieldValues<T> {
  return cached(quietCache, table, () =>
    mapTable(table, (spec) => (spec.quiet === undefined ? spec.default : spec.quiet)),
  );
}

/**
 * Draws every field in table order. The order and number of draws shape every later draw of the
 * run, so reordering or inserting entries changes all seeded simulations.
 */
export function drawFrom<T extends FieldTable>(table: T, rng: SimRng): FieldValues<T> {
  return mapTable(table, (spec) => spec.random(rng));
}

/**
 * Checks each field of `value` in table order (errors name `prefix` + field) and rejects fields the
 * table lacks; returns a frozen copy.
 */
export function checkFields<T extends FieldTable>(
  table: T,
  value: unknown,
  prefix: string,
): FieldValues<T> {
  // A frozen value cannot change: its check is done once (every iteration checks its configurations).
  const frozen = typeof value === 'object' && value !== null && Object.isFrozen(value);
  const known = frozen ? checkedCache.get(value) : undefined;
  if (known?.table === table && known.prefix === prefix) return known.checked as FieldValues<T>;
  checkKnownFields(table, value, prefix);
  // Read as unknown: the value may come from plain JavaScript or another thread.
  const given = value as Record<string, unknown>;
  const checked = mapTable(table, (spec, name) => spec.check(`${prefix}${name}`, given[name]));
  if (frozen) checkedCache.set(value, { table, prefix, checked });
  return checked;
}

/** The checked copy of each frozen value checked so far (with the table and prefix it was checked against). */
const checkedCache = new WeakMap<object, { table: FieldTable; prefix: string; checked: unknown }>();
