// The command's live progress line while exploring: drawn on a terminal's stderr and erased before
// the report, absent with --json or when stderr is not a terminal; and the line's format and redraws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli, type Terminal } from '../../src/cli/cli.js';
import { formatStatus, ProgressLine } from '../../src/cli/progress.js';
import type { ExplorationStatus } from '../../src/index.js';

const EXPLORE_DIR = fileURLToPath(new URL('../../../test/fixtures/.explore', import.meta.url));

/** A terminal recording every write of both streams in order. */
function capture(stderrIsTTY: boolean): { term: Terminal; writes: ['out' | 'err', string][] } {
  const writes: ['out' | 'err', string][] = [];
  return {
    writes,
    term: {
      out: (text) => writes.push(['out', text]),
      err: (text) => writes.push(['err', text]),
      color: false,
      stderrIsTTY,
    },
  };
}

const ERASE = '\r\u001b[2K';
const PROGRESS = /explore-gates: seed 1\/1 \| .* timelines .* energy left .* bugs \d+ \| coverage \d+ bits/;

describe('moonpool sim run: live exploration progress', () => {
  it('on a terminal, draws a progress line on stderr and erases it before the report', async () => {
    const { term, writes } = capture(true);
    const code = await runCli(['sim', 'run', 'explore-gates', '--dir', EXPLORE_DIR], term);
    assert.equal(code, 1, 'the exploration finds the bug');
    const err = writes.filter(([stream]) => stream === 'err').map(([, text]) => text);
    const lines = err.filter((text) => PROGRESS.test(text));
    assert.ok(lines.length >= 1, `no progress line in ${JSON.stringify(err)}`);
    // Each redraw starts by erasing the line it replaces, and never ends a line.
    for (const line of lines) {
      assert.ok(line.startsWith(ERASE), JSON.stringify(line));
      assert.ok(!line.includes('\n'), JSON.stringify(line));
    }
    const stderr = err.join('');
    assert.ok(stderr.endsWith(ERASE), `stderr ends with the erase: ${JSON.stringify(stderr.slice(-40))}`);
    // The erase comes after the last progress line and before the report.
    const lastErase = writes.findLastIndex(([stream, text]) => stream === 'err' && text === ERASE);
    const lastProgress = writes.findLastIndex(([stream, text]) => stream === 'err' && PROGRESS.test(text));
    const firstOut = writes.findIndex(([stream]) => stream === 'out');
    assert.ok(lastProgress < lastErase && lastErase < firstOut, JSON.stringify({ lastProgress, lastErase, firstOut }));
    const stdout = writes.filter(([stream]) => stream === 'out').map(([, text]) => text).join('');
    assert.match(stdout, /--- Exploration ---/);
    assert.ok(!stdout.includes('\u001b'), 'no escape codes on stdout');
  });

  for (const [what, args, tty] of [
    ['--json on a terminal', ['--json'], true],
    ['stderr not a terminal', [], false],
  ] as const) {
    it(`prints no progress with ${what}`, async () => {
      const { term, writes } = capture(tty);
      const code = await runCli(['sim', 'run', 'explore-gates', ...args, '--dir', EXPLORE_DIR], term);
      assert.equal(code, 1);
      const stderr = writes.filter(([stream]) => stream === 'err').map(([, text]) => text).join('');
      assert.ok(!stderr.includes('\u001b'), JSON.stringify(stderr));
      assert.ok(!/timelines|energy left|coverage/.test(stderr), JSON.stringify(stderr));
      if (!tty) assert.equal(stderr, '');
      const stdout = writes.filter(([stream]) => stream === 'out').map(([, text]) => text).join('');
      assert.ok(!stdout.includes('\u001b'));
      assert.ok(!PROGRESS.test(stdout));
    });
  }
});

describe('formatStatus and ProgressLine', () => {
  const status = (over: Partial<ExplorationStatus> = {}): ExplorationStatus => ({
    seedsStarted: 1,
    seedsTotal: 2,
    timelines: 1240,
    energyRemaining: 18_760,
    bugs: 3,
    coverageBits: 41,
    elapsedMs: 500,
    ...over,
  });

  it('formats a status line, with thousands separators and a rate', () => {
    assert.equal(
      formatStatus('maze-explore', status()),
      'maze-explore: seed 1/2 | 1,240 timelines (2,480/s) | energy left 18,760 | bugs 3 | coverage 41 bits',
    );
    assert.equal(
      formatStatus('x', status({ elapsedMs: 0, timelines: 0 })),
      'x: seed 1/2 | 0 timelines (0/s) | energy left 18,760 | bugs 3 | coverage 41 bits',
    );
  });

  it('without a known number of seeds (a time limit) shows the seed without a total', () => {
    const line = formatStatus('sim', status({ seedsStarted: 3, seedsTotal: null }));
    assert.match(line, /^sim: seed 3 \| /);
    assert.ok(!line.includes('/2') && !/seed 3\//.test(line), line);
  });

  it('redraws at most every 100 ms and erases only what it drew', () => {
    const writes: string[] = [];
    const line = new ProgressLine((text) => writes.push(text), 'p');
    line.clear();
    assert.equal(writes.length, 0, 'nothing drawn, nothing to erase');
    line.update(status({ elapsedMs: 10 }));
    line.update(status({ elapsedMs: 60, bugs: 4 }));
    line.update(status({ elapsedMs: 110, bugs: 5 }));
    assert.equal(writes.length, 2);
    assert.equal(writes[0], `${ERASE}${formatStatus('p', status({ elapsedMs: 10 }))}`);
    assert.match(writes[1] as string, /bugs 5/);
    line.clear();
    line.clear();
    assert.deepEqual(writes.slice(2), [ERASE]);
  });
});
