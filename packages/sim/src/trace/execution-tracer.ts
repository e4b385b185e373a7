import { AsyncLocalStorage } from 'node:async_hooks';
import type { AssertionRecorder } from '@moonpool/core';
import { EventKind, eventKindName } from '../kernel/event-kind.js';
import { describeFailure, type IterationFailure } from '../kernel/failure.js';
import type { Machine, TaskRecord } from '../kernel/machine.js';
import { msToTicks, ticksToMs } from '../kernel/ticks.js';
import type { SimWorld } from '../kernel/world.js';
import type { TracedEvent, WorldTracer } from '../kernel/world-tracer.js';
import { SpanLanes } from './span-lanes.js';
import {
  DEFAULT_TRACE_MAX_BYTES,
  DEFAULT_TRACE_MAX_EVENTS,
  type TraceCut,
  type TraceOptions,
  type TraceSummary,
} from './trace-options.js';
import { TraceWriter } from './trace-writer.js';
import { type AssertionMark, TracingRecorder } from './tracing-recorder.js';

// Fixed threads of every process (machine); its tasks get thread ids from FIRST_TASK_TID on.
const NET_OUT_TID = 1;
const NET_IN_TID = 2;
/** What the machine does outside its tasks: timers' callbacks, accepts, faults, assertions. */
const MACHINE_TID = 3;
const FIRST_TASK_TID = 10;
/** Process id of work no machine owns (only when the world has no system machine). */
const NOBODY_PID = 1_000_000;

const CUT_NOTE = 'the execution went on to its end; nothing after this is in the trace';

/** Assertion kinds whose every failure is a violation (marked each time, not only the first). */
const ALWAYS_KINDS = new Set(['Always', 'AlwaysOrUnreachable', 'NumericAlways', 'Unreachable']);

/** Span names of the waits a task makes, by event kind (others show the kind's own name). */
const WAIT_NAMES = new Map<number, [name: string, category: string]>([
  [EventKind.Timer, ['sleep', 'sleep']],
  [EventKind.NodeTimer, ['timer', 'sleep']],
  [EventKind.StorageRead, ['storage read', 'storage']],
  [EventKind.StorageWrite, ['storage write', 'storage']],
  [EventKind.StorageSync, ['storage sync', 'storage']],
  [EventKind.NetworkBind, ['bind', 'network']],
  [EventKind.NetworkConnect, ['connect', 'network']],
  [EventKind.NetworkAccept, ['accept', 'network']],
  [EventKind.ClogClear, ['clogged write', 'network']],
  [EventKind.NetworkReset, ['connection reset', 'network']],
  [EventKind.HalfOpenError, ['half-open error', 'network']],
]);

/** One thread of the trace: its spans kept nested, extra lanes as extra threads. */
class TraceThread {
  readonly lanes = new SpanLanes();
  readonly laneTids: number[];
  constructor(
    readonly process: TraceProcess,
    tid: number,
    readonly name: string,
  ) {
    this.laneTids = [tid];
  }
}

/** One machine of the execution, as a trace process. */
class TraceProcess {
  nextTid = FIRST_TASK_TID;
  machineThread: TraceThread | null = null;
  constructor(
    readonly pid: number,
    readonly name: string,
  ) {}
}

interface TracedTask {
  readonly thread: TraceThread;
  readonly start: number;
}

interface SentMessage {
  readonly at: number;
  readonly from: Machine;
  readonly to: Machine;
  readonly bytes: number;
  readonly connection: number;
}

/**
 * JSON text of `value`. Bigints (numeric assertion values) become decimal strings: JSON has no 64-bit
 * integers. Only then is the (much slower) replacer used.
 */
function jsonValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
  }
}

/**
 * Writes one execution as a Chrome trace-event file while it runs: machines are processes, tasks
 * threads; waits (sleeps, storage and network operations) are complete events ("X") on the thread of
 * the task that waited; messages are a send and a receive slice joined by a flow ("s"/"f"); faults and
 * assertions are instant events ("i"). Time is simulated time in microseconds (a tick is 1 µs).
 *
 * Every string user code can influence (names, messages, paths, error texts) goes through
 * `JSON.stringify`, so the file is valid JSON whatever they contain.
 */
export class ExecutionTracer implements WorldTracer {
  private readonly writer: TraceWriter;
  private readonly currentTask = new AsyncLocalStorage<TaskRecord>();
  private readonly waits = new WeakMap<TracedEvent, TaskRecord>();
  private readonly tasks = new Map<TaskRecord, TracedTask>();
  private readonly messages = new Map<object, SentMessage>();
  private readonly processes = new Map<Machine | null, TraceProcess>();
  private readonly seenAssertions = new Set<string>();
  private readonly satisfiedAssertions = new Set<string>();
  private readonly fromTicks: number;
  private readonly untilTicks: number;
  private world: SimWorld | null = null;
  private nextFlow = 1;
  private cutAt = -1;
  private finished = false;

  constructor(private readonly options: TraceOptions) {
    const maxEvents = options.maxEvents ?? DEFAULT_TRACE_MAX_EVENTS;
    const maxBytes = options.maxBytes ?? DEFAULT_TRACE_MAX_BYTES;
    this.fromTicks = msToTicks(options.fromMs ?? 0);
    this.untilTicks = options.untilMs === undefined ? Number.POSITIVE_INFINITY : msToTicks(options.untilMs);
    this.writer = new TraceWriter(options.output, maxEvents, maxBytes);
  }

  /** Starts watching `world` (the execution to trace). */
  attach(world: SimWorld): void {
    this.world = world;
    world.tracer = this;
  }

  /** The assertion recorder to install: it marks assertions in the trace and records them in `inner`. */
  recorder(inner: AssertionRecorder): AssertionRecorder {
    const mark: AssertionMark = (kind, msg, ok, details) => this.assertion(kind, msg, ok, details);
    return new TracingRecorder(inner, mark);
  }

  // --- the world's hooks ---------------------------------------------------------------------------

  // Once the trace is cut, the hooks that start something (a wait, a task, a message) keep nothing: the
  // ones that end it then find nothing to write, and the rest of a long execution runs almost untraced.

  scheduled(ev: TracedEvent): void {
    if (ev.owner === null || this.writer.cut !== null) return;
    const task = this.currentTask.getStore();
    if (task !== undefined) this.waits.set(ev, task);
  }

  fired(ev: TracedEvent): void {
    const owner = ev.owner;
    // Ownerless events are deliveries and the simulator's own restores: flows and faults show them.
    if (owner === null || ev.time === ev.createdAt || this.writer.cut !== null) return;
    const task = this.waits.get(ev);
    const traced = task !== undefined && task.owner === owner ? this.tasks.get(task) : undefined;
    const thread = traced?.thread ?? this.machineThread(owner);
    const [name, category] = WAIT_NAMES.get(ev.kind) ?? [eventKindName(ev.kind), 'event'];
    const args = ev.label === '' ? null : { label: ev.label };
    this.span(thread, name, category, ev.createdAt, ev.time, args);
  }

  taskSpawned(task: TaskRecord): void {
    if (this.writer.cut !== null) return;
    const process = this.process(task.owner);
    const thread = this.thread(process, process.nextTid++, task.name);
    this.tasks.set(task, { thread, start: this.now() });
  }

  runTask<T>(task: TaskRecord, body: () => Promise<T>): Promise<T> {
    return this.currentTask.run(task, body);
  }

  taskEnded(task: TaskRecord): void {
    this.endTask(task, task.status);
  }

  machineStopped(machine: Machine): void {
    for (const task of [...this.tasks.keys()]) if (task.owner === machine) this.endTask(task, 'killed');
  }

  messageSent(message: object, from: Machine, to: Machine, bytes: number, connection: number): void {
    if (this.writer.cut !== null) return;
    this.messages.set(message, { at: this.now(), from, to, bytes, connection });
  }

  messageDelivered(message: object): void {
    const sent = this.messages.get(message);
    if (sent === undefined) return;
    this.messages.delete(message);
    const now = this.now();
    if (!this.visible(sent.at, now)) return;
    const out = this.netThread(sent.from, NET_OUT_TID, 'network out');
    const into = this.netThread(sent.to, NET_IN_TID, 'network in');
    const what = sent.bytes < 0 ? 'FIN' : `${sent.bytes} B`;
    const id = this.nextFlow++;
    const flow = `"cat":"message","name":"message","id":${id}`;
    const outPid = out.process.pid;
    const inPid = into.process.pid;
    // The hottest writer: its text is put together by hand (IPs and numbers only, no user text).
    const size = `"bytes":${sent.bytes},"connection":${sent.connection}`;
    // Slices of 1 µs (ticks are whole µs, so they never overlap partially); each flow end binds to one.
    this.add(
      `{"ph":"X","pid":${outPid},"tid":${NET_OUT_TID},"ts":${sent.at},"dur":1,"name":"send ${what}",` +
        `"cat":"network","args":{"to":${jsonValue(sent.to.ip)},${size}}}`,
      `{"ph":"s","pid":${outPid},"tid":${NET_OUT_TID},"ts":${sent.at},${flow}}`,
      `{"ph":"X","pid":${inPid},"tid":${NET_IN_TID},"ts":${now},"dur":1,"name":"receive ${what}",` +
        `"cat":"network","args":{"from":${jsonValue(sent.from.ip)},${size},"sentAtUs":${sent.at}}}`,
      `{"ph":"f","bp":"e","pid":${inPid},"tid":${NET_IN_TID},"ts":${now},${flow}}`,
    );
  }

  messageLost(message: object): void {
    const sent = this.messages.get(message);
    if (sent === undefined) return;
    this.messages.delete(message);
    this.lost(sent, 'discarded in flight');
    const now = this.now();
    if (!this.visible(now, now)) return;
    const thread = this.machineThread(sent.from);
    this.instant(thread.process.pid, thread.laneTids[0] as number, now, 'MessageDropped', 'fault', {
      from: sent.from.ip,
      to: sent.to.ip,
      bytes: sent.bytes,
      connection: sent.connection,
      sentAtUs: sent.at,
    });
  }

  fault(event: { readonly type: string }): void {
    const now = this.now();
    if (!this.visible(now, now)) return;
    const fields = event as unknown as Record<string, unknown>;
    const ip = [fields.ip, fields.from, fields.to].find((v): v is string => typeof v === 'string');
    const machine = ip === undefined ? null : (this.world?.machines.find((m) => m.ip === ip) ?? null);
    const thread = this.machineThread(machine ?? this.systemMachine());
    this.instant(thread.process.pid, thread.laneTids[0] as number, now, event.type, 'fault', event);
  }

  // --- the end ---------------------------------------------------------------------------------

  /**
   * Closes the trace once the execution is over: unfinished tasks and undelivered messages end at the
   * last instant, the failure (if any) is marked, and the document gets its metadata.
   */
  finish(
    identity: Readonly<Record<string, string>>,
    failure: IterationFailure | null,
    traceHash: string,
  ): TraceSummary {
    if (this.finished) throw new Error('trace already finished');
    this.finished = true;
    const world = this.world;
    const now = this.now();
    for (const task of [...this.tasks.keys()]) this.endTask(task, 'unfinished');
    for (const sent of this.messages.values()) this.lost(sent, 'not delivered by the end');
    this.messages.clear();
    if (failure !== null && this.visible(now, now)) {
      const text = describeFailure(failure);
      this.add(`{"ph":"i","s":"g","pid":0,"tid":0,"ts":${now},"name":${jsonValue(`failed: ${failure.kind}`)},` +
        `"cat":"verdict","args":${jsonValue({ error: text })}}`);
    }
    const cut = this.cut();
    if (cut !== null) {
      const at = msToTicks(cut.atMs);
      this.writer.addAlways(
        `{"ph":"i","s":"g","pid":0,"tid":0,"ts":${at},"name":"trace cut here","cat":"trace",` +
          `"args":${jsonValue({ limit: cut.limit, max: cut.max, note: CUT_NOTE })}}`,
      );
    }
    if (world !== null) world.tracer = null;
    this.currentTask.disable();
    const other = {
      ...identity,
      traceHash,
      simulatedMs: ticksToMs(now),
      failure: failure === null ? null : describeFailure(failure),
      window: {
        fromMs: ticksToMs(this.fromTicks),
        untilMs: Number.isFinite(this.untilTicks) ? ticksToMs(this.untilTicks) : null,
      },
      cut,
    };
    this.writer.close(`,"displayTimeUnit":"ms","otherData":${jsonValue(other)}`);
    const summary: TraceSummary = {
      file: typeof this.options.output === 'string' ? this.options.output : null,
      events: this.writer.events,
      bytes: this.writer.bytes,
      cut,
      traceHash,
    };
    this.options.onWritten?.(summary);
    return summary;
  }

  /** Closes the document after an error inside the simulator itself, so the file stays valid JSON. */
  abandon(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    if (this.world !== null) this.world.tracer = null;
    this.currentTask.disable();
    this.writer.close(`,"displayTimeUnit":"ms","otherData":${jsonValue({ error: String(error) })}`);
  }

  // --- what the hooks write -------------------------------------------------------------------------

  private assertion(kind: string, msg: string, ok: boolean, details: Readonly<Record<string, unknown>> | null): void {
    const first = !this.seenAssertions.has(msg);
    if (first) this.seenAssertions.add(msg);
    const firstSuccess = ok && !this.satisfiedAssertions.has(msg);
    if (firstSuccess) this.satisfiedAssertions.add(msg);
    const violated = !ok && ALWAYS_KINDS.has(kind);
    if (!first && !firstSuccess && !violated) return;
    const now = this.now();
    if (!this.visible(now, now)) return;
    const outcome = violated ? 'violated' : firstSuccess ? 'first success' : 'first evaluation';
    const task = this.currentTask.getStore();
    const traced = task === undefined ? undefined : this.tasks.get(task);
    const thread = traced?.thread ?? this.machineThread(this.world?.current ?? this.systemMachine());
    const tid = thread.laneTids[0] as number;
    this.instant(thread.process.pid, tid, now, msg, 'assertion', { kind, outcome, ok, ...details });
  }

  private endTask(task: TaskRecord, status: string): void {
    const traced = this.tasks.get(task);
    if (traced === undefined) return;
    this.tasks.delete(task);
    this.span(traced.thread, traced.thread.name, 'task', traced.start, this.now(), { status });
  }

  private lost(sent: SentMessage, why: string): void {
    if (!this.visible(sent.at, sent.at)) return;
    const out = this.netThread(sent.from, NET_OUT_TID, 'network out');
    const what = sent.bytes < 0 ? 'FIN' : `${sent.bytes} B`;
    this.add(
      `{"ph":"X","pid":${out.process.pid},"tid":${NET_OUT_TID},"ts":${sent.at},"dur":1,` +
        `"name":${jsonValue(`send ${what} (lost)`)},"cat":"network",` +
        `"args":${jsonValue({ to: sent.to.ip, bytes: sent.bytes, connection: sent.connection, lost: why })}}`,
    );
  }

  private span(
    thread: TraceThread,
    name: string,
    category: string,
    start: number,
    end: number,
    args: Readonly<Record<string, unknown>> | null,
  ): void {
    if (end <= start || !this.visible(start, end) || this.writer.cut !== null) return;
    const lane = thread.lanes.place(start, end);
    const tid = this.laneTid(thread, lane);
    this.add(
      `{"ph":"X","pid":${thread.process.pid},"tid":${tid},"ts":${start},"dur":${end - start},` +
        `"name":${jsonValue(name)},"cat":"${category}"${args === null ? '' : `,"args":${jsonValue(args)}`}}`,
    );
  }

  private instant(pid: number, tid: number, ts: number, name: string, category: string, args: object): void {
    this.add(
      `{"ph":"i","s":"t","pid":${pid},"tid":${tid},"ts":${ts},"name":${jsonValue(name)},` +
        `"cat":"${category}","args":${jsonValue(args)}}`,
    );
  }

  /** Writes events that belong together (a flow and its slices) all or none; the first refusal cuts the trace. */
  private add(...events: string[]): void {
    if (this.writer.add(...events) || this.cutAt >= 0) return;
    this.cutAt = this.now();
  }

  private cut(): TraceCut | null {
    const cut = this.writer.cut;
    return cut === null ? null : { limit: cut.limit, max: cut.max, atMs: ticksToMs(Math.max(0, this.cutAt)) };
  }

  private visible(start: number, end: number): boolean {
    return end >= this.fromTicks && start <= this.untilTicks;
  }

  private now(): number {
    return this.world?.now ?? 0;
  }

  // --- processes and threads -----------------------------------------------------------------------

  private systemMachine(): Machine | null {
    return this.world?.machines.find((m) => m.kind === 'system') ?? null;
  }

  private process(machine: Machine | null): TraceProcess {
    let process = this.processes.get(machine);
    if (process !== undefined) return process;
    const pid = machine === null ? NOBODY_PID : machine.index + 1;
    const name =
      machine === null ? 'no machine' : machine.kind === 'system' ? 'simulator' : `${machine.ip} ${machine.name}`;
    process = new TraceProcess(pid, name);
    this.processes.set(machine, process);
    this.add(
      `{"ph":"M","pid":${pid},"tid":0,"ts":0,"name":"process_name","args":${jsonValue({ name })}}`,
      `{"ph":"M","pid":${pid},"tid":0,"ts":0,"name":"process_sort_index","args":{"sort_index":${pid}}}`,
    );
    return process;
  }

  private thread(process: TraceProcess, tid: number, name: string): TraceThread {
    this.add(`{"ph":"M","pid":${process.pid},"tid":${tid},"ts":0,"name":"thread_name","args":${jsonValue({ name })}}`);
    return new TraceThread(process, tid, name);
  }

  private machineThread(machine: Machine | null): TraceThread {
    const process = this.process(machine);
    process.machineThread ??= this.thread(process, MACHINE_TID, 'machine');
    return process.machineThread;
  }

  private readonly netThreads = new Map<string, TraceThread>();

  private netThread(machine: Machine, tid: number, name: string): TraceThread {
    const process = this.process(machine);
    const key = `${process.pid}/${tid}`;
    let thread = this.netThreads.get(key);
    if (thread === undefined) {
      thread = this.thread(process, tid, name);
      this.netThreads.set(key, thread);
    }
    return thread;
  }

  /** The thread id of `lane` of `thread` (extra lanes are threads of their own, made on first use). */
  private laneTid(thread: TraceThread, lane: number): number {
    for (let i = thread.laneTids.length; i <= lane; i++) {
      const name = `${thread.name} (overlapping waits ${i + 1})`;
      const extra = this.thread(thread.process, thread.process.nextTid++, name);
      thread.laneTids.push(extra.laneTids[0] as number);
    }
    return thread.laneTids[lane] as number;
  }
}
