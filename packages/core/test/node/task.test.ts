import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeTaskProvider } from '../../src/index.js';

test('join returns the result and status moves to done', async () => {
  const tasks = new NodeTaskProvider();
  const handle = tasks.spawn('answer', async () => 42);
  assert.equal(handle.name, 'answer');
  assert.equal(handle.status(), 'running');
  assert.equal(await handle.join(), 42);
  assert.equal(handle.status(), 'done');
});

test('a joined failure is reported to the joiner only', async () => {
  const unobserved: string[] = [];
  const tasks = new NodeTaskProvider((name) => unobserved.push(name));
  const handle = tasks.spawn('broken', async () => {
    throw new Error('boom');
  });
  await assert.rejects(handle.join(), /boom/);
  assert.equal(handle.status(), 'failed');
  const sync = tasks.spawn('sync throw', () => {
    throw new Error('sync boom');
  });
  await assert.rejects(sync.join(), /sync boom/);
  await tasks.yieldNow();
  await tasks.yieldNow();
  assert.deepEqual(unobserved, []);
});

test('an unjoined failure goes to onUnobservedFailure instead of crashing', async () => {
  const unobserved: Array<[string, unknown]> = [];
  const tasks = new NodeTaskProvider((name, error) => unobserved.push([name, error]));
  const error = new Error('lost');
  const handle = tasks.spawn('orphan', async () => {
    throw error;
  });
  await tasks.yieldNow();
  await tasks.yieldNow();
  assert.equal(handle.status(), 'failed');
  assert.deepEqual(unobserved, [['orphan', error]]);
});

test('yieldNow lets other tasks run first', async () => {
  const tasks = new NodeTaskProvider();
  const log: string[] = [];
  const other = tasks.spawn('other', async () => {
    log.push('other');
  });
  await tasks.yieldNow();
  log.push('after yield');
  await other.join();
  assert.deepEqual(log, ['other', 'after yield']);
});
