import type { CodeCoverageMap } from './code-coverage-map.js';
import { codeCoverageSupported } from './coverage-collector.js';

/** The map of the exploration with code coverage that runs or ran last on this thread. */
let current: CodeCoverageMap | null = null;

export function setCurrentCodeCoverage(map: CodeCoverageMap | null): void {
  current = map;
}

/**
 * Whether code coverage can be collected here (the original's `sancov_is_available`): Node has its
 * inspector, through which V8 reports block coverage.
 */
export function codeCoverageIsAvailable(): boolean {
  return codeCoverageSupported();
}

/**
 * Blocks of the system under test known to the latest exploration with code coverage (the original's
 * `sancov_edge_count`); 0 before any. V8 reports the blocks of functions once they ran, so the count
 * grows during a run.
 */
export function codeCoverageBlockCount(): number {
  return current?.blockCount() ?? 0;
}

/** Of those, the blocks some timeline ran (the original's `sancov_edges_covered`); 0 before any. */
export function codeCoverageBlocksCovered(): number {
  return current?.blocksCovered() ?? 0;
}
