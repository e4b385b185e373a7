import type { SimWorld } from '../kernel/world.js';

// The iteration whose code the virtualised globals serve. One slot per thread, as for the kernel's
// running world: iterations of one thread run one after another.
let world: SimWorld | null = null;

/** The world if simulated code is running now; null means the caller gets the real function's behaviour. */
export function simulatedWorld(): SimWorld | null {
  const w = world;
  return w !== null && w.simulating ? w : null;
}

/** The iteration in progress (simulating or not), or null between iterations. */
export function hermeticWorld(): SimWorld | null {
  return world;
}

export function setHermeticWorld(next: SimWorld | null): void {
  world = next;
}
