// The real cluster (`npm run cluster`): three replica processes and a client over loopback TCP on
// NodeProviders, one replica SIGKILLed halfway. The runner waits for what the processes print (no
// fixed sleeps) and kills every child whatever happens, including when this test's time limit
// stops it (SIGTERM).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Far beyond the few seconds it takes even on a loaded 2-core machine: reaching it means a hang. */
const LIMIT_MS = 240_000;

test('the real cluster loses no acknowledged write when a replica is SIGKILLed, and keeps going', { timeout: LIMIT_MS + 10_000 }, async () => {
  const script = fileURLToPath(new URL('../src/quorum-register/run-cluster.js', import.meta.url));
  let stdout: string;
  let stderr: string;
  let code = 0;
  try {
    ({ stdout, stderr } = await promisify(execFile)(process.execPath, [script, '--ops', '1500'], {
      timeout: LIMIT_MS,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (err) {
    const e = err as { code?: number | string; killed?: boolean; stdout?: string; stderr?: string };
    assert.ok(!e.killed, `the cluster did not finish within ${LIMIT_MS} ms:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    ({ stdout = '', stderr = '' } = e);
    code = typeof e.code === 'number' ? e.code : 1;
  }
  const all = stdout + stderr;
  assert.equal(code, 0, all);
  assert.equal(stdout.match(/^\[replica \d\] listening on 127\.0\.0\.1:\d+$/gm)?.length, 3, all);
  const kill = stdout.search(/^\[cluster\] SIGKILL replica 1 \(pid \d+\) after \d+ operations$/m);
  assert.ok(kill > 0, all);
  // The client went on after the kill, through quorums of the two replicas left.
  assert.match(stdout.slice(kill), /^\[client\] progress \d+ ops: \d+ writes acknowledged/m);
  const done = /^\[client\] done: (\d+) ops in \d+ ms \(\d+ ops\/s\)/m.exec(stdout);
  assert.ok(done !== null && Number(done[1]) >= 1500, all);
  const after = /^\[client\] before the kill: \d+ ops \(\d+ ops\/s\); begun after it: (\d+) ops/m.exec(stdout);
  assert.ok(after !== null && Number(after[1]) >= 750, all);
  assert.match(stdout, /^\[client\] recovery: the first write begun after the kill was acknowledged [\d.]+ ms after it$/m);
  assert.match(stdout, /^\[client\] linearizable: yes$/m);
  assert.match(stdout, /^\[client\] every acknowledged write survived: yes$/m);
  // Both replicas left hold the final value.
  const final = /^\[client\] final read: (\S+);/m.exec(stdout)?.[1];
  assert.ok(final !== undefined && final !== '0', all);
  for (const i of [0, 2]) assert.match(stdout, new RegExp(`^\\[replica ${i}\\] stopped after .* holding ${final.replace('.', '\\.')}$`, 'm'));
  assert.match(stdout, /^cluster: client exited with 0; replica 1 killed after \d+ operations \(SIGKILL\); the others exited with 0 after SIGTERM$/m);
});
