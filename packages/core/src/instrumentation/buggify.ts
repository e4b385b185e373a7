import { currentInstrumentation } from './instrumentation.js';

/** `true` when the named fault site should misbehave now; always `false` outside a simulation. */
export function buggify(site: string): boolean {
  return currentInstrumentation()?.buggify(site) ?? false;
}

/** Like `buggify`, with this call's firing probability `p` (the site's activation still applies). */
export function buggifyWithProb(site: string, p: number): boolean {
  return currentInstrumentation()?.buggify(site, p) ?? false;
}
