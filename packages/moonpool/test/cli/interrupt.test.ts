// Interrupting the command: the first SIGINT/SIGTERM stops at an iteration boundary and prints what
// ran (exit 130/143); a second one ends the process at once.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { interruptExitCode, stopOnSignals } from '../../src/cli/interrupt.js';
import { cli } from '../support/run-cli.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const DIR = fileURLToPath(new URL('../../../test/fixtures/.interrupt', import.meta.url));

/** An abort signal aborted with `reason` after `ms` of wall-clock time. */
function abortedAfter(ms: number, reason: string): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), ms).unref();
  return controller.signal;
}

describe('interrupting the command (in process)', () => {
  it('a plain run stops at an iteration boundary: partial JSON marked interrupted, exit 130', async () => {
    const started = performance.now();
    const r = await cli(['sim', 'run', 'endless-seeds', '--json', '--dir', DIR], abortedAfter(1500, 'SIGINT'));
    assert.ok(performance.now() - started < 10_000, 'stopped soon after the signal');
    assert.equal(r.code, 130);
    const line = JSON.parse(r.stdout) as {
      interrupted?: boolean;
      iterations: number;
      seedsUsed: string[];
      seedsFailing: string[];
      runs: unknown[];
    };
    assert.equal(line.interrupted, true);
    assert.ok(line.iterations > 0 && line.iterations < 10_000_000);
    assert.equal(line.seedsUsed.length, line.iterations);
    assert.equal(line.runs.length, line.iterations);
    assert.ok(line.seedsFailing.length > 0, 'the failures found before the signal are reported');
    assert.match(r.stderr, /moonpool: interrupted \(SIGINT\): the reports above are partial\n/);
  });

  it('the human report is marked and keeps the reproduce commands, exit 130', async () => {
    const r = await cli(['sim', 'run', 'endless-seeds', '--dir', DIR], abortedAfter(1500, 'SIGINT'));
    assert.equal(r.code, 130);
    assert.match(r.stdout, /INTERRUPTED: stopped early/);
    assert.match(r.stdout, /--- Reproduce \(\d+\) ---\n {2}npx moonpool sim run endless-seeds --seed \d+/);
  });

  it('an exploration stops early with its bug recipes; SIGTERM is exit 143', async () => {
    const r = await cli(['sim', 'run', 'endless-explore', '--json', '--dir', DIR], abortedAfter(2000, 'SIGTERM'));
    assert.equal(r.code, 143);
    const line = JSON.parse(r.stdout) as {
      interrupted?: boolean;
      iterations: number;
      exploration: { totalTimelines: number; bugsFound: number; bugRecipes: unknown[]; converged: boolean };
    };
    assert.equal(line.interrupted, true);
    assert.ok(line.iterations >= 1 && line.iterations < 1000);
    assert.ok(line.exploration.totalTimelines > 0);
    assert.ok(line.exploration.bugsFound > 0);
    assert.equal(line.exploration.bugRecipes.length, line.exploration.bugsFound);
    assert.equal(line.exploration.converged, false);
    const human = await cli(['sim', 'run', 'endless-explore', '--dir', DIR], abortedAfter(1500, 'SIGTERM'));
    assert.equal(human.code, 143);
    assert.match(human.stdout, /--- Replay a bug found by exploration \(\d+\) ---\n {2}npx moonpool sim run endless-explore --recipe /);
  });

  it('run-all stops at the interrupted simulation and says how many did not run', async () => {
    const r = await cli(['sim', 'run-all', '--json', '--dir', DIR], abortedAfter(1000, 'SIGINT'));
    assert.equal(r.code, 130);
    assert.equal(r.stdout.trim().split('\n').length, 1, 'one partial report, the others not started');
    assert.match(r.stderr, /2 simulations not run/);
  });

  it('stopOnSignals: the first signal aborts with its name and removes the listeners', () => {
    const source = new EventEmitter();
    const seen: string[] = [];
    const { signal } = stopOnSignals((name) => seen.push(name), source as never);
    assert.equal(source.listenerCount('SIGINT'), 1);
    assert.equal(source.listenerCount('SIGTERM'), 1);
    assert.equal(interruptExitCode(signal), null);
    source.emit('SIGTERM');
    assert.deepEqual(seen, ['SIGTERM']);
    assert.equal(signal.reason, 'SIGTERM');
    assert.equal(interruptExitCode(signal), 143);
    // Nothing listens any more: a second signal gets Node's default action (the process ends).
    assert.equal(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM'), 0);
  });
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock ms from the last signal sent to the exit. */
  afterLastSignal: number;
}

/** Spawns the command; `drive` sends signals; resolves when the process has exited. */
function spawnCommand(args: string[], drive: (child: ChildProcess, sent: () => void) => void): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lastSignal = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, afterLastSignal: performance.now() - lastSignal }),
    );
    drive(child, () => {
      lastSignal = performance.now();
    });
  });
}

describe('interrupting the command (a real process)', () => {
  it('SIGINT mid-run prints the partial report and exits 130', async () => {
    const r = await spawnCommand(['sim', 'run', 'endless-seeds', '--dir', DIR], (child, sent) => {
      setTimeout(() => {
        sent();
        child.kill('SIGINT');
      }, 2000);
    });
    assert.equal(r.code, 130, r.stderr);
    assert.ok(r.afterLastSignal < 3000, `took ${Math.round(r.afterLastSignal)} ms after the signal`);
    assert.match(r.stdout, /Name: endless-seeds\n {2}INTERRUPTED/);
    assert.match(r.stdout, /Iterations: \d+/);
    assert.match(r.stdout, /--- Reproduce/);
    assert.match(r.stderr, /moonpool: SIGINT: stopping after the current iteration/);
  });

  it('a second SIGINT ends the process at once, even in the middle of an iteration', async () => {
    const r = await spawnCommand(['sim', 'run', 'waits-outside', '--dir', DIR], (child, sent) => {
      // The first signal is seen while the iteration waits (5 s) on a child process of its own.
      setTimeout(() => child.kill('SIGINT'), 1500);
      child.stderr?.on('data', (chunk: Buffer | string) => {
        if (!String(chunk).includes('stopping after the current iteration')) return;
        sent();
        child.kill('SIGINT');
      });
    });
    assert.equal(r.signal, 'SIGINT', `code ${r.code}: ${r.stderr}`);
    assert.ok(r.afterLastSignal < 1500, `took ${Math.round(r.afterLastSignal)} ms after the second signal`);
  });
});
