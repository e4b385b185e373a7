// `--trace <file.json>` and its companions: what the command line asks of a trace.
import { UsageError } from './errors.js';

/** A trace asked for on the command line. */
export interface TraceRequest {
  /** The file to write. */
  file: string;
  /** `--trace-max-events`, or undefined for the default. */
  maxEvents: number | undefined;
  /** `--trace-window <from>..<until>` in simulated ms; undefined ends leave that side open. */
  fromMs: number | undefined;
  untilMs: number | undefined;
}

/** The raw option values this file reads (parseArgs' output). */
export interface TraceFlagValues {
  trace?: string | undefined;
  'trace-max-events'?: string | undefined;
  'trace-window'?: string | undefined;
}

const NO_WINDOW = { fromMs: undefined, untilMs: undefined };

/** The options of parseArgs' table for tracing. */
export const TRACE_OPTIONS = {
  trace: { type: 'string' },
  'trace-max-events': { type: 'string' },
  'trace-window': { type: 'string' },
} as const;

/** Reads the trace flags; undefined when `--trace` is absent (then its companions are usage errors). */
export function parseTraceFlags(values: TraceFlagValues): TraceRequest | undefined {
  const file = values.trace;
  if (file === undefined) {
    for (const flag of ['trace-max-events', 'trace-window'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --trace <file.json>`);
    }
    return undefined;
  }
  if (file === '') throw new UsageError('--trace needs a file name (for example --trace run.json)');
  const max = values['trace-max-events'];
  const window = values['trace-window'] === undefined ? NO_WINDOW : parseWindow(values['trace-window']);
  return {
    file,
    maxEvents: max === undefined ? undefined : parseMaxEvents(max),
    fromMs: window.fromMs,
    untilMs: window.untilMs,
  };
}

/** A trace is one execution: `sim run` of exactly one seed, or of a recipe. */
export function checkTraceCombination(
  trace: TraceRequest | undefined,
  command: string,
  seeds: number,
  recipe: boolean,
): void {
  if (trace === undefined) return;
  if (command !== 'run') {
    throw new UsageError('--trace applies only to sim run: a trace holds one execution of one simulation');
  }
  if (!recipe && seeds !== 1) {
    const given = seeds === 0 ? 'no --seed was given' : `${seeds} seeds were given`;
    throw new UsageError(`--trace writes one execution: give exactly one --seed or a --recipe (${given})`);
  }
}

function parseMaxEvents(text: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--trace-max-events must be a positive integer, got '${text}'`);
  }
  return n;
}

/** `<from>..<until>` in ms of simulated time, either side optional (`..500`, `1000..`). */
function parseWindow(text: string): { fromMs: number | undefined; untilMs: number | undefined } {
  const match = /^([0-9]+(?:\.[0-9]+)?)?\.\.([0-9]+(?:\.[0-9]+)?)?$/.exec(text);
  if (match === null || (match[1] === undefined && match[2] === undefined)) {
    throw new UsageError(
      `--trace-window must be <from>..<until> in simulated ms, either side optional (1000..2500, ..500), got '${text}'`,
    );
  }
  const fromMs = match[1] === undefined ? undefined : Number(match[1]);
  const untilMs = match[2] === undefined ? undefined : Number(match[2]);
  if (fromMs !== undefined && untilMs !== undefined && untilMs < fromMs) {
    throw new UsageError(`--trace-window ends before it starts: '${text}'`);
  }
  return { fromMs, untilMs };
}
