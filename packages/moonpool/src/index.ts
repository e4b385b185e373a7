export * from '@moonpool/core';
export * from '@moonpool/sim';
export * from './define-simulation.js';
export * from './testing/run-simulation-test.js';
