// Checks a trace file against the Chrome trace-event format as Perfetto and chrome://tracing read it,
// and summarises what it shows, so tests can assert on processes, threads, flows and instants.
import assert from 'node:assert/strict';

export interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  cat?: string;
  s?: string;
  id?: number;
  bp?: string;
  args?: Record<string, unknown>;
}

export interface TraceDocument {
  traceEvents: TraceEvent[];
  displayTimeUnit?: string;
  otherData?: Record<string, unknown>;
}

/** What a checked trace shows. */
export interface TraceShape {
  /** Process names by pid. */
  processes: Map<number, string>;
  /** Thread names by `pid/tid`. */
  threads: Map<string, string>;
  /** Complete events (spans) by name. */
  spans: Map<string, TraceEvent[]>;
  /** Instant events by category, then in file order. */
  instants: Map<string, TraceEvent[]>;
  /** Flows (start and end) by id. */
  flows: Map<number, { start: TraceEvent; end: TraceEvent }>;
}

const PHASES = new Set(['M', 'X', 'B', 'E', 'i', 's', 'f']);

/** Parses `text` (it must be valid JSON), checks every rule a viewer relies on, and returns the shape. */
export function checkTrace(text: string): { doc: TraceDocument; shape: TraceShape } {
  const doc = JSON.parse(text) as TraceDocument;
  assert.ok(Array.isArray(doc.traceEvents), 'traceEvents is an array');
  const shape: TraceShape = {
    processes: new Map(),
    threads: new Map(),
    spans: new Map(),
    instants: new Map(),
    flows: new Map(),
  };
  const open = new Map<string, string[]>();
  const starts = new Map<number, TraceEvent>();
  const slicesByThread = new Map<string, TraceEvent[]>();
  for (const ev of doc.traceEvents) {
    const where = JSON.stringify(ev);
    assert.ok(PHASES.has(ev.ph), `known phase: ${where}`);
    assert.equal(typeof ev.name, 'string', `name: ${where}`);
    assert.ok(Number.isSafeInteger(ev.pid) && Number.isSafeInteger(ev.tid), `pid and tid: ${where}`);
    assert.ok(Number.isSafeInteger(ev.ts) && ev.ts >= 0, `ts in whole µs: ${where}`);
    const thread = `${ev.pid}/${ev.tid}`;
    switch (ev.ph) {
      case 'M': {
        const name = ev.args?.name;
        if (ev.name === 'process_name') shape.processes.set(ev.pid, String(name));
        else if (ev.name === 'thread_name') shape.threads.set(thread, String(name));
        else assert.equal(ev.name, 'process_sort_index', where);
        break;
      }
      case 'X':
        assert.ok(Number.isSafeInteger(ev.dur) && (ev.dur as number) >= 0, `dur: ${where}`);
        push(shape.spans, ev.name, ev);
        push(slicesByThread, thread, ev);
        break;
      case 'B':
        push(open, thread, ev.name);
        break;
      case 'E':
        assert.ok((open.get(thread) ?? []).pop() !== undefined, `E without B: ${where}`);
        break;
      case 'i':
        assert.ok(ev.s === 't' || ev.s === 'p' || ev.s === 'g', `instant scope: ${where}`);
        push(shape.instants, ev.cat ?? '', ev);
        break;
      case 's':
        assert.ok(Number.isSafeInteger(ev.id) && ev.cat !== undefined, `flow id and cat: ${where}`);
        assert.ok(!starts.has(ev.id as number), `flow id used once: ${where}`);
        starts.set(ev.id as number, ev);
        break;
      case 'f': {
        const start = starts.get(ev.id as number);
        assert.ok(start !== undefined, `flow end after its start: ${where}`);
        assert.equal(start.cat, ev.cat, 'flow ends share the category');
        assert.equal(start.name, ev.name, 'flow ends share the name');
        assert.ok(ev.ts >= start.ts, `a flow goes forward in time: ${where}`);
        assert.equal(ev.bp, 'e', 'the end binds to its enclosing slice');
        assert.ok(!shape.flows.has(ev.id as number), `one end per flow: ${where}`);
        shape.flows.set(ev.id as number, { start, end: ev });
        break;
      }
    }
  }
  for (const [thread, names] of open) assert.equal(names.length, 0, `B/E balanced on ${thread}`);
  assert.equal(shape.flows.size, starts.size, 'every flow start has its end');
  for (const ev of doc.traceEvents) {
    if (ev.ph === 'M' || (ev.ph === 'i' && ev.s === 'g')) continue;
    assert.ok(shape.processes.has(ev.pid), `process ${ev.pid} is named`);
    assert.ok(shape.threads.has(`${ev.pid}/${ev.tid}`), `thread ${ev.pid}/${ev.tid} is named`);
  }
  for (const [thread, slices] of slicesByThread) checkNesting(thread, slices);
  for (const { start, end } of shape.flows.values()) {
    assert.ok(encloses(slicesByThread.get(`${start.pid}/${start.tid}`), start.ts), 'flow start is inside a slice');
    assert.ok(encloses(slicesByThread.get(`${end.pid}/${end.tid}`), end.ts), 'flow end is inside a slice');
  }
  return { doc, shape };
}

/** Slices of one thread nest or do not overlap (viewers drop or misdraw the others). */
function checkNesting(thread: string, slices: TraceEvent[]): void {
  const sorted = [...slices].sort((a, b) => a.ts - b.ts || (b.dur as number) - (a.dur as number));
  const stack: number[] = [];
  for (const ev of sorted) {
    const end = ev.ts + (ev.dur as number);
    while (stack.length > 0 && (stack[stack.length - 1] as number) <= ev.ts) stack.pop();
    const parentEnd = stack[stack.length - 1];
    assert.ok(parentEnd === undefined || end <= parentEnd, `slices nest on ${thread}: ${JSON.stringify(ev)}`);
    stack.push(end);
  }
}

function encloses(slices: TraceEvent[] | undefined, ts: number): boolean {
  return (slices ?? []).some((s) => s.ts <= ts && ts < s.ts + (s.dur as number));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
