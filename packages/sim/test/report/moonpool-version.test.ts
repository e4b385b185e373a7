// Mergeable reports carry the moonpool version: it must be the version every package declares.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MOONPOOL_VERSION } from '../../src/report/moonpool-version.js';

describe('MOONPOOL_VERSION', () => {
  it('is the version of every package', () => {
    for (const pkg of ['explorer', 'core', 'sim', 'transport', 'moonpool']) {
      const url = new URL(`../../../../${pkg}/package.json`, import.meta.url);
      const { version } = JSON.parse(readFileSync(url, 'utf8')) as { version: string };
      assert.equal(version, MOONPOOL_VERSION, `packages/${pkg}/package.json`);
    }
  });
});
