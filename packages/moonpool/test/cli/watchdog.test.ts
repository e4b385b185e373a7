// The watchdog: a run stuck in simulated code (a synchronous loop, an endless chain of promises)
// ends with exit 1 and names the seed, the simulated time and the last event.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCliArgs } from '../../src/cli/args.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const DIR = fileURLToPath(new URL('../../../test/fixtures/.stuck', import.meta.url));

function moonpool(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    // A watchdog that does not fire would hang the suite: give up well after it should have.
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

describe('the watchdog (--stall-timeout)', () => {
  for (const name of ['stuck-sync', 'stuck-microtasks']) {
    it(`${name}: exit 1 naming the seed, the simulated time and the last event; the seed reproduces it`, async () => {
      const r = await moonpool(['sim', 'run', name, '--stall-timeout', '1', '--dir', DIR]);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(r.ms < 20_000, `took ${Math.round(r.ms)} ms`);
      assert.match(r.stderr, new RegExp(`moonpool: watchdog: ${name} made no progress for 1 s in seed \\d+`));
      assert.match(r.stderr, /simulated time: 5\.000 ms; events processed in this iteration: \d+/);
      assert.match(r.stderr, /last event: Timer on 10\.0\.0\.1 \(client\)/);
      const seed = /in seed (\d+)/.exec(r.stderr)?.[1] ?? '';
      assert.match(r.stderr, new RegExp(`run it again: moonpool sim run ${name} --seed ${seed}`));
      // The named seed is the one that hangs: running it alone hangs the same way.
      const again = await moonpool(['sim', 'run', name, '--seed', seed, '--stall-timeout', '0.5', '--dir', DIR]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, new RegExp(`made no progress for 0\\.5 s in seed ${seed}:`));
    });
  }

  it('a timeline stuck on an exploration worker thread: exit 1 naming its recipe and the thread', async () => {
    const r = await moonpool(['sim', 'run', 'stuck-worker', '--stall-timeout', '1', '--dir', DIR]);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.ms < 20_000, `took ${Math.round(r.ms)} ms`);
    assert.match(
      r.stderr,
      /moonpool: watchdog: stuck-worker made no progress for 1 s in recipe '[^']+' \(on exploration worker thread 1\)/,
    );
    assert.match(r.stderr, /run it again: moonpool sim run stuck-worker --recipe '[^']+'/);
  });

  it('--stall-timeout takes seconds >= 0, 60 by default', () => {
    assert.equal(parseCliArgs(['sim', 'run-all']).stallTimeoutSeconds, 60);
    assert.equal(parseCliArgs(['sim', 'run-all', '--stall-timeout', '0']).stallTimeoutSeconds, 0);
    assert.equal(parseCliArgs(['sim', 'run-all', '--stall-timeout', '2.5']).stallTimeoutSeconds, 2.5);
    for (const bad of ['-1', 'abc', '1e3', '']) {
      assert.throws(() => parseCliArgs(['sim', 'run-all', `--stall-timeout=${bad}`]), /--stall-timeout must be a number of seconds/);
    }
  });
});
