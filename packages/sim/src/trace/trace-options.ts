// What a user asks of a trace of one execution, and what they get back.

/**
 * Events a trace holds at most unless told otherwise: about what the legacy chrome://tracing viewer
 * is known to load, 100-130 MB of JSON, well within what Perfetto's UI opens in a tab (docs/traces.md).
 */
export const DEFAULT_TRACE_MAX_EVENTS = 1_000_000;

/** Bytes a trace file holds at most unless told otherwise: the legacy viewer's import limit (docs/traces.md). */
export const DEFAULT_TRACE_MAX_BYTES = 256 * 1024 * 1024;

/** How one execution is traced (`SimulationBuilder.trace`). */
export interface TraceOptions {
  /**
   * Where the Chrome trace-event JSON goes: a file path (created or truncated), or a function that
   * receives the text in order, piece by piece (the pieces joined are the whole JSON document).
   */
  readonly output: string | ((text: string) => void);
  /** Trace events written at most; past it the trace is cut (default `DEFAULT_TRACE_MAX_EVENTS`). */
  readonly maxEvents?: number;
  /** Bytes written at most; past it the trace is cut (default `DEFAULT_TRACE_MAX_BYTES`). */
  readonly maxBytes?: number;
  /** Only what happens from this simulated time on (ms; default 0). */
  readonly fromMs?: number;
  /** Only what happens until this simulated time (ms; default: the end). */
  readonly untilMs?: number;
  /** Called once the file is complete (also when the trace was cut). */
  readonly onWritten?: (summary: TraceSummary) => void;
}

/** Where and why a trace stopped before the end of its execution. */
export interface TraceCut {
  /** Which limit was reached. */
  readonly limit: 'events' | 'bytes';
  /** Its value. */
  readonly max: number;
  /** The simulated time (ms) of the last traced moment; nothing after it is in the file. */
  readonly atMs: number;
}

/** What a finished trace holds. */
export interface TraceSummary {
  /** The file written, or null when the output was a function. */
  readonly file: string | null;
  /** Trace events written (metadata included). */
  readonly events: number;
  /** Bytes of JSON written. */
  readonly bytes: number;
  /** Null when the whole execution (within the window) is in the trace. */
  readonly cut: TraceCut | null;
  /** The traced execution's trace hash (the same as without tracing). */
  readonly traceHash: string;
}

/** Throws a RangeError naming the first option that makes no sense. */
export function validateTraceOptions(options: TraceOptions): void {
  const { output, maxEvents, maxBytes, fromMs, untilMs } = options;
  if (typeof output !== 'function' && (typeof output !== 'string' || output === '')) {
    throw new RangeError('trace output must be a file path or a function receiving the text');
  }
  const positive = (name: string, n: number | undefined): void => {
    if (n !== undefined && !(Number.isSafeInteger(n) && n > 0)) {
      throw new RangeError(`trace ${name} must be a positive integer, got ${n}`);
    }
  };
  positive('maxEvents', maxEvents);
  positive('maxBytes', maxBytes);
  for (const [name, ms] of [['fromMs', fromMs], ['untilMs', untilMs]] as const) {
    if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) {
      throw new RangeError(`trace ${name} must be a number of ms >= 0, got ${ms}`);
    }
  }
  if (fromMs !== undefined && untilMs !== undefined && untilMs < fromMs) {
    throw new RangeError(`trace window ends (${untilMs} ms) before it starts (${fromMs} ms)`);
  }
}
