// What the command does with a trace request: checks the file can be written, hands the options to the
// builder, and says what was written (or where the trace was cut, and how to trace less).
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { duration, thousands, type TraceOptions, type TraceSummary } from '@moonpool/sim';
import { CliError } from './errors.js';
import type { TraceRequest } from './trace-flags.js';

/**
 * Fails before anything runs when the trace file cannot be written (exit 2, not a failed simulation).
 * Creates nothing: the file appears when the execution starts, and is then always complete JSON.
 */
export function ensureTraceWritable(request: TraceRequest | undefined): void {
  if (request === undefined) return;
  const file = resolve(request.file);
  try {
    const existing = statSync(file, { throwIfNoEntry: false });
    if (existing?.isDirectory() === true) throw new Error('it is a directory');
    if (existing !== undefined) accessSync(file, constants.W_OK);
    else if (!statSync(dirname(file)).isDirectory()) throw new Error(`${dirname(file)} is not a directory`);
    else accessSync(dirname(file), constants.W_OK);
  } catch (err) {
    throw new CliError(`--trace: cannot write ${request.file}: ${(err as Error).message}`);
  }
}

/** The builder's trace options for `request`; `written` receives the summary. */
export function traceOptions(request: TraceRequest, written: (summary: TraceSummary) => void): TraceOptions {
  return {
    output: request.file,
    ...(request.maxEvents === undefined ? {} : { maxEvents: request.maxEvents }),
    ...(request.fromMs === undefined ? {} : { fromMs: request.fromMs }),
    ...(request.untilMs === undefined ? {} : { untilMs: request.untilMs }),
    onWritten: written,
  };
}

/** One or two lines for stderr: what the file holds, and when cut, where and what to do about it. */
export function describeTrace(summary: TraceSummary): string {
  const size = `${thousands(summary.events)} events, ${(summary.bytes / 1e6).toFixed(1)} MB`;
  const head = `moonpool: trace written to ${summary.file ?? '(function)'} (${size})`;
  const cut = summary.cut;
  if (cut === null) return `${head}; open it in https://ui.perfetto.dev or chrome://tracing\n`;
  const limit = cut.limit === 'events' ? `${thousands(cut.max)} events` : `${(cut.max / 1e6).toFixed(0)} MB`;
  return (
    `${head}\nmoonpool: warning: the trace was cut at ${duration(cut.atMs)} of simulated time: it reached ` +
    `its limit of ${limit}; the execution went on untraced (the verdict covers all of it). Trace less with ` +
    `--trace-window <from>..<until> (simulated ms)${cut.limit === 'events' ? ', or raise --trace-max-events' : ''}\n`
  );
}
