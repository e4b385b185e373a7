export {
  ASSERTION_KINDS,
  type AssertionFamily,
  type AssertionKindSpec,
  type CountFormat,
} from './assertion-kinds.js';
export * from './assertion-store.js';
export * from './bucket-key.js';
export * from './child-seed.js';
export * from './config.js';
export * from './coverage-bitmap.js';
export * from './delta-sum.js';
export * from './energy.js';
export * from './explored-map.js';
export * from './fnv.js';
export * from './multiverse.js';
export * from './recipe.js';
export * from './store-state.js';
export type * from './types.js';
export { MAX_EACH_BUCKETS } from './each-site.js';
export { validateResults } from './validate.js';
