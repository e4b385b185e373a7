import type { IntValue, NumericCmp } from './types.js';

/** Whether `value cmp threshold` holds (bigints and numbers compare with each other directly). */
export function numericHolds(cmp: NumericCmp, value: IntValue, threshold: IntValue): boolean {
  switch (cmp) {
    case 'gt':
      return value > threshold;
    case 'ge':
      return value >= threshold;
    case 'lt':
      return value < threshold;
    case 'le':
      return value <= threshold;
  }
}
