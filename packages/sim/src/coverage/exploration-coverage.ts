import type { ExplorationConfig } from '@moonpool/explorer';
import { setCurrentCodeCoverage } from './code-coverage.js';
import { CodeCoverageMap } from './code-coverage-map.js';
import { codeCoverageSupported } from './coverage-collector.js';
import type { FunctionCoverage } from './function-coverage.js';
import { moduleSelection, type ModuleSelection } from './module-filter.js';

/** What an exploration's report says of code coverage. */
export interface CodeCoverageReport {
  /** Blocks of the system under test known (their functions ran) and, of those, run by some timeline. */
  blocks: number;
  /** How many of those `blocks` some timeline ran. */
  blocksCovered: number;
  /** Functions of the system under test that ran. */
  functions: number;
}

/**
 * Code coverage of one exploration, on the main thread: the map of the code run so far (across root
 * seeds) and the judgement of each batch. Worker threads collect; this only merges.
 */
export class ExplorationCoverage {
  readonly map = new CodeCoverageMap();

  constructor(readonly selection: ModuleSelection) {
    setCurrentCodeCoverage(this.map);
  }

  /**
   * Whether a batch's reports (one per worker) ran code no earlier batch ran; judged before any is
   * merged, so it does not depend on how the batch was split between threads.
   */
  judgeBatch(reports: readonly (readonly FunctionCoverage[])[]): boolean {
    const entries = reports.flat();
    const found = this.map.coversNew(entries);
    this.map.add(entries);
    return found;
  }

  report(): CodeCoverageReport {
    const { map } = this;
    return { blocks: map.blockCount(), blocksCovered: map.blocksCovered(), functions: map.functionCount() };
  }
}

/**
 * The module selection when the configuration asks for code coverage and it can be collected;
 * otherwise null, with the reason passed to `warn` when it was asked for.
 */
export function codeCoverageSelection(
  config: ExplorationConfig,
  hasWorkerModule: boolean,
  checkingSnapshotStarts: boolean,
  warn: (message: string) => void,
): ModuleSelection | null {
  const asked = config.codeCoverage;
  if (asked === undefined || asked === false) return null;
  if (checkingSnapshotStarts) {
    warn(
      'code coverage was asked for but snapshot starts are being checked (checkDeterminism), which runs ' +
        'children on the main thread: exploration ran on assertions alone',
    );
    return null;
  }
  if (!codeCoverageSupported()) {
    warn('code coverage was asked for but this Node has no inspector: exploration ran on assertions alone');
    return null;
  }
  if (!hasWorkerModule) {
    warn(
      'code coverage was asked for but the simulation has no worker module (builder.setWorkerModule(url, exportName); ' +
        'the moonpool command sets it): it is collected on worker threads, so exploration ran on assertions alone',
    );
    return null;
  }
  return moduleSelection(asked === true ? undefined : asked.modules);
}
