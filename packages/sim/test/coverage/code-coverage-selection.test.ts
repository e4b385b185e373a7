import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExplorationConfig } from '@moonpool/explorer';
import { codeCoverageSupported } from '../../src/coverage/coverage-collector.js';
import { codeCoverageSelection } from '../../src/coverage/exploration-coverage.js';

const BASE: ExplorationConfig = { maxDepth: 1, timelinesPerSplit: 1, globalEnergy: 1 };

function select(codeCoverage: ExplorationConfig['codeCoverage'], workerModule = true, checking = false) {
  const warnings: string[] = [];
  const config = codeCoverage === undefined ? BASE : { ...BASE, codeCoverage };
  const selection = codeCoverageSelection(config, workerModule, checking, (m) => warnings.push(m));
  return { selection, warnings };
}

describe('codeCoverageSelection', { skip: !codeCoverageSupported() && 'no inspector in this Node' }, () => {
  it('off unless asked for, silently', () => {
    assert.deepEqual(select(undefined), { selection: null, warnings: [] });
    assert.deepEqual(select(false), { selection: null, warnings: [] });
  });

  it('the default modules for true, the given prefixes otherwise', () => {
    assert.deepEqual(select(true).selection, { prefixes: null });
    assert.deepEqual(select({ modules: ['file:///srv/app/'] }).selection, { prefixes: ['file:///srv/app/'] });
  });

  it('asked for but impossible: null and a warning saying why', () => {
    const noWorker = select(true, false);
    assert.equal(noWorker.selection, null);
    assert.match(noWorker.warnings[0] ?? '', /setWorkerModule/);
    const checking = select(true, true, true);
    assert.equal(checking.selection, null);
    assert.match(checking.warnings[0] ?? '', /checkDeterminism/);
  });
});
