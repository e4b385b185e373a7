import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isSystemUnderTest, moduleFilter, moduleSelection } from '../../src/coverage/module-filter.js';

const FRAMEWORK_FILE = new URL('../../src/coverage/module-filter.js', import.meta.url).href;

describe('which modules code coverage counts', () => {
  it('by default: file modules outside node_modules and outside the framework packages', () => {
    assert.equal(isSystemUnderTest('file:///home/me/app/src/server.js'), true);
    assert.equal(isSystemUnderTest('node:internal/timers'), false);
    assert.equal(isSystemUnderTest('file:///home/me/app/node_modules/lodash/lodash.js'), false);
    assert.equal(isSystemUnderTest(FRAMEWORK_FILE), false, 'the framework is not the system under test');
    assert.equal(isSystemUnderTest(new URL('../../../../explorer/dist/src/multiverse.js', FRAMEWORK_FILE).href), false);
    assert.equal(isSystemUnderTest('data:text/javascript,1'), false);
    assert.equal(isSystemUnderTest(''), false);
  });

  it('the bundled examples count by default', () => {
    const example = new URL('../../../../../examples/dist/src/maze/maze.js', FRAMEWORK_FILE).href;
    assert.equal(isSystemUnderTest(example), true);
  });

  it('given modules: URL or absolute-path prefixes', () => {
    const selected = moduleFilter(moduleSelection(['/srv/app/lib/', 'file:///srv/other/x.js']));
    assert.equal(selected(pathToFileURL('/srv/app/lib/a.js').href), true);
    assert.equal(selected('file:///srv/other/x.js'), true);
    assert.equal(selected('file:///srv/app/src/a.js'), false);
    // A framework module counts when asked for explicitly.
    assert.equal(moduleFilter(moduleSelection([FRAMEWORK_FILE]))(FRAMEWORK_FILE), true);
  });

  it('the default selection is plain data (worker threads rebuild it)', () => {
    assert.deepEqual(moduleSelection(undefined), { prefixes: null });
    assert.equal(moduleFilter(moduleSelection(undefined)), isSystemUnderTest);
  });
});
