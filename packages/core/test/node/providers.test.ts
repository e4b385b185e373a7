import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeProviders, type Providers } from '../../src/index.js';

test('NodeProviders bundles working providers', async () => {
  const failures: string[] = [];
  const providers: Providers = new NodeProviders({
    storageRoot: '/nonexistent-moonpool-root',
    onUnobservedFailure: (name) => failures.push(name),
  });
  assert.equal(await providers.storage.exists('anything'), false);
  const random = providers.random.randomRange(0, 10);
  assert.ok(random >= 0 && random < 10);
  assert.ok(providers.time.now() > 0);
  providers.task.spawn('orphan', async () => {
    throw new Error('lost');
  });
  await providers.time.sleep(5);
  assert.deepEqual(failures, ['orphan']);
});
