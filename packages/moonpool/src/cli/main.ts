#!/usr/bin/env node
// The `moonpool` command: `moonpool sim list | run <filter> | run-all` (see docs/cli.md).
import { describeError } from '@moonpool/core';
import { runCli } from './cli.js';
import { stopOnSignals } from './interrupt.js';

// A reader that stops early (`moonpool sim list | head -1`) is not worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Ctrl-C or a CI job's SIGTERM: finish the iteration under way, then print what ran.
const interrupt = stopOnSignals((name) =>
  process.stderr.write(
    `\nmoonpool: ${name}: stopping after the current iteration to print what ran (${name} again exits at once)\n`,
  ),
);

let code: number;
try {
  code = await runCli(
    process.argv.slice(2),
    {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
      stderrIsTTY: process.stderr.isTTY === true,
    },
    interrupt.signal,
  );
} catch (err) {
  process.stderr.write(`moonpool: internal error: ${describeError(err)}\n`);
  code = 2;
}

// Exit explicitly, once both streams are flushed, so a simulation that leaves a real timer or
// socket open cannot keep the command (and a CI job) waiting.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
