import { CoverageBitmap } from './coverage-bitmap.js';

/**
 * The OR of every timeline's bitmap; it persists across root seeds. A batch of children is judged
 * with `isNew` for all of them first, then merged, so siblings do not hide each other's finds.
 */
export class ExploredMap extends CoverageBitmap {
  /** Whether `timeline` set a bit nobody had set before. */
  isNew(timeline: CoverageBitmap): boolean {
    return timeline.hasBitsNotIn(this);
  }

  merge(timeline: CoverageBitmap): void {
    timeline.orInto(this);
  }
}
