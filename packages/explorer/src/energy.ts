/** Per-mark account of the adaptive energy budget. */
export interface MarkEnergy {
  remaining: number;
}

/**
 * The three-level adaptive budget: every timeline takes one unit of global energy, then one
 * of its mark's energy, or else one from the reallocation pool; with neither, the global unit goes
 * back and the mark stops. Barren marks return what they have left to the pool.
 */
export class EnergyBudget {
  pool = 0;

  constructor(public global: number) {}

  openMark(perMark: number): MarkEnergy {
    return { remaining: perMark };
  }

  /** Fixed-count mode: one global unit. */
  takeGlobal(): boolean {
    if (this.global <= 0) return false;
    this.global--;
    return true;
  }

  /** Adaptive mode: one unit for a timeline of `mark`; false stops the mark (or everything). */
  take(mark: MarkEnergy): boolean {
    if (!this.takeGlobal()) return false;
    if (mark.remaining > 0) {
      mark.remaining--;
      return true;
    }
    if (this.pool > 0) {
      this.pool--;
      return true;
    }
    this.global++;
    return false;
  }

  /** A barren mark gives its remaining energy to the pool. */
  retire(mark: MarkEnergy): void {
    this.pool += mark.remaining;
    mark.remaining = 0;
  }
}
