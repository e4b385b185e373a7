/**
 * How far an alternative is from the caller. The values are ordered (`SameMachine` < `SameDc` <
 * `Remote`) so that sorting by distance is sorting by number: closer tiers are tried first.
 */
export const Distance = Object.freeze({
  SameMachine: 0,
  SameDc: 1,
  Remote: 2,
} as const);

export type Distance = (typeof Distance)[keyof typeof Distance];

const NAMES: readonly string[] = ['SameMachine', 'SameDc', 'Remote'];

/** `SameMachine`, `SameDc` or `Remote` (for messages). */
export function distanceName(distance: Distance): string {
  return NAMES[distance] ?? String(distance);
}

/** Whether `value` is one of the three distances (they come from user code and configuration). */
export function isDistance(value: unknown): value is Distance {
  return value === 0 || value === 1 || value === 2;
}
