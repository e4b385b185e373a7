// Traces of one execution (builder.trace): the Chrome trace-event file a known small simulation
// produces, that tracing changes nothing, hostile text, the limit and the window, and bad requests.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertAlways, assertSometimes, SimulationError, type Stream } from '@moonpool/core';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { SimContext } from '../../src/engine/context.js';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import type { SimulationReport } from '../../src/report/simulation-report.js';
import type { TraceOptions, TraceSummary } from '../../src/trace/trace-options.js';
import { checkTrace, type TraceEvent } from '../support/trace-format.js';
import { bytes, text } from '../support/bytes.js';
import { measurable } from '../support/network-fault-helpers.js';
import { durationRange } from '../../src/config/duration-range.js';

const PORT = 4500;
const ROUND_TRIPS = 3;
const HOSTILE = '</script><script>alert("x")</script> \\ " \u0000 \u2028 \ud800 <img src=x onerror=alert(1)>';

/** Echoes every connection in a task of its own, logging each message to a synced file first. */
function echoServer(taskName = 'serve'): { name: string; run(ctx: SimContext): Promise<void> } {
  return {
    name: 'echo',
    async run(ctx) {
      const listener = await ctx.network.bind(`${ctx.myIp}:${PORT}`);
      const log = await ctx.storage.open(`log-${taskName}`, { write: true, create: true, append: true });
      for (;;) {
        const [stream] = await listener.accept();
        ctx.task.spawn(taskName, async () => {
          try {
            for (let data = await stream.read(); data !== null; data = await stream.read()) {
              await log.write(data);
              await log.syncAll();
              await stream.writeAll(data);
            }
          } catch {
            // The client resets the connection when it is done.
          }
        });
      }
    },
  };
}

async function readExactly(stream: Stream, n: number): Promise<string> {
  let got = '';
  while (got.length < n) {
    const data = await stream.read();
    if (data === null) throw new Error('closed early');
    got += text(data);
  }
  return got;
}

/** Round trips, a partition and a crash of the server; assertion message and task name given (hostile or not). */
function smallSimulation(message = 'echo matches', taskName = 'serve'): SimulationBuilder {
  return new SimulationBuilder()
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .processes(1, () => echoServer(taskName))
    .workload({
      name: 'client',
      async run(ctx) {
        const server = ctx.topology.processIps[0] as string;
        const stream = await ctx.network.connect(`${server}:${PORT}`);
        for (let i = 0; i < ROUND_TRIPS; i++) {
          await stream.writeAll(bytes(`ping${i}`));
          assertAlways((await readExactly(stream, 5)) === `ping${i}`, message);
          assertSometimes(i === 1, 'second round trip');
          await ctx.time.sleep(5);
        }
        stream.abort();
        await ctx.time.sleep(200);
      },
    })
    .fault({
      name: 'injector',
      async inject(ctx) {
        await ctx.time.sleep(50);
        const [server] = ctx.processIps;
        ctx.partitionPair(server as string, '10.0.0.1', 10);
        await ctx.time.sleep(50);
        ctx.reboot(server as string, 'Crash', { recoveryDelayMs: 10 });
      },
    })
    .chaosDuration(150);
}

const dir = mkdtempSync(join(tmpdir(), 'moonpool-trace-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `builder` for one seed with a trace into memory; the report, the text and the summary. */
async function traced(
  builder: SimulationBuilder,
  seed = 7n,
  options: Omit<TraceOptions, 'output'> = {},
): Promise<{ report: SimulationReport; text: string; summary: TraceSummary }> {
  const pieces: string[] = [];
  let summary: TraceSummary | null = null;
  const report = await builder
    .setDebugSeeds([seed])
    .trace({ ...options, output: (piece) => pieces.push(piece), onWritten: (s) => (summary = s) })
    .run();
  assert.ok(summary !== null, 'onWritten was called');
  return { report, text: pieces.join(''), summary };
}

function names(events: readonly TraceEvent[] | undefined): string[] {
  return (events ?? []).map((e) => e.name);
}

describe('builder.trace: one execution as a Chrome trace-event file', () => {
  it('shows machines as processes, tasks as threads, waits as spans, messages as flows, faults and assertions', async () => {
    const { report, text: json, summary } = await traced(smallSimulation());
    assert.equal(report.runs[0]?.ok, true, report.runs[0]?.error);
    const { doc, shape } = checkTrace(json);
    assert.equal(summary.events, doc.traceEvents.length);
    assert.equal(summary.bytes, Buffer.byteLength(json));
    assert.equal(summary.cut, null);
    assert.equal(summary.traceHash, report.runs[0]?.traceHash);
    assert.equal(doc.otherData?.traceHash, report.runs[0]?.traceHash);
    assert.equal(doc.otherData?.seed, '7');

    assert.deepEqual([...shape.processes.values()].sort(), ['10.0.0.1 client', '10.0.1.1 echo', 'simulator']);
    const threads = [...shape.threads.values()];
    // Two incarnations of the server: two `run` tasks of its process; the client's own; the injector.
    assert.ok(threads.filter((t) => t === 'run').length >= 3, threads.join(', '));
    assert.ok(threads.includes('serve'), 'the spawned task is a thread');
    assert.ok(threads.includes('network out') && threads.includes('network in'));

    for (const span of ['sleep', 'storage write', 'storage sync', 'connect', 'bind', 'accept']) {
      assert.ok(shape.spans.has(span), `a "${span}" span (${[...shape.spans.keys()].join(', ')})`);
    }
    // The client's first sleep (5 ms) is on its task's thread.
    const clientSleep = shape.spans.get('sleep')?.find((s) => shape.threads.get(`${s.pid}/${s.tid}`) === 'run' &&
      shape.processes.get(s.pid) === '10.0.0.1 client');
    assert.equal(clientSleep?.dur, 5000);

    // Each round trip is two messages (ping and echo), each a flow from its send to its delivery.
    const flows = [...shape.flows.values()];
    assert.ok(flows.length >= 2 * ROUND_TRIPS, `flows: ${flows.length}`);
    const pids = new Map([...shape.processes].map(([pid, name]) => [name, pid]));
    const clientToServer = flows.filter(
      (f) => f.start.pid === pids.get('10.0.0.1 client') && f.end.pid === pids.get('10.0.1.1 echo'),
    );
    assert.ok(clientToServer.length >= ROUND_TRIPS);
    for (const f of flows) assert.ok(f.end.ts > f.start.ts, 'delivery takes time');

    const faults = names(shape.instants.get('fault'));
    for (const fault of ['PartitionCreated', 'PartitionHealed', 'ProcessForceKill', 'ProcessRestart']) {
      assert.ok(faults.includes(fault), `fault ${fault} in ${faults.join(', ')}`);
    }
    const crash = shape.instants.get('fault')?.find((f) => f.name === 'ProcessForceKill');
    assert.equal(crash?.pid, pids.get('10.0.1.1 echo'), 'a crash shows on the crashed machine');

    const assertions = shape.instants.get('assertion') ?? [];
    assert.deepEqual(names(assertions).sort(), ['echo matches', 'second round trip', 'second round trip']);
    const first = assertions.find((a) => a.name === 'second round trip' && a.args?.outcome === 'first evaluation');
    assert.equal(first?.args?.ok, false);
    assert.ok(assertions.some((a) => a.name === 'second round trip' && a.args?.outcome === 'first success'));
  });

  it('does not change the execution: the same trace hash as without tracing, on a chaotic network too', async () => {
    for (const seed of [1n, 2n, 3n]) {
      const plain = await smallSimulation().randomNetwork().setDebugSeeds([seed]).run();
      const { report } = await traced(smallSimulation().randomNetwork(), seed);
      assert.equal(report.runs[0]?.traceHash, plain.runs[0]?.traceHash, `seed ${seed}`);
      assert.equal(report.runs[0]?.events, plain.runs[0]?.events);
      assert.deepEqual(report.assertions, plain.assertions);
    }
  });

  it('keeps hostile text in messages, names and paths as valid JSON, unchanged', async () => {
    const builder = smallSimulation(HOSTILE, HOSTILE);
    const file = join(dir, 'hostile.json');
    let summary: TraceSummary | null = null;
    const report = await builder
      .setDebugSeeds([3n])
      .trace({ output: file, onWritten: (s) => (summary = s) })
      .run();
    assert.equal(report.runs[0]?.ok, true, report.runs[0]?.error);
    assert.equal((summary as TraceSummary | null)?.file, file);
    const { shape } = checkTrace(readFileSync(file, 'utf8'));
    assert.ok(names(shape.instants.get('assertion')).includes(HOSTILE), 'the message survives the round trip');
    assert.ok([...shape.threads.values()].includes(HOSTILE), 'the task name survives the round trip');
    const labels = [...shape.spans.values()].flat().map((s) => s.args?.label);
    assert.ok(labels.some((l) => typeof l === 'string' && l.includes(HOSTILE)), 'the file path survives');
  });

  it('cuts a trace at its event limit, says where, and leaves the execution and the verdict alone', async () => {
    const plain = await smallSimulation().setDebugSeeds([5n]).run();
    const { report, text: json, summary } = await traced(smallSimulation(), 5n, { maxEvents: 40 });
    assert.equal(report.runs[0]?.traceHash, plain.runs[0]?.traceHash);
    assert.ok(summary.cut !== null);
    assert.equal(summary.cut.limit, 'events');
    assert.equal(summary.cut.max, 40);
    // Valid, every flow whole: a flow and its two slices go in together or not at all.
    const { doc } = checkTrace(json);
    assert.ok(doc.traceEvents.length <= 41, `${doc.traceEvents.length} events`);
    const marker = doc.traceEvents.at(-1);
    assert.equal(marker?.name, 'trace cut here');
    assert.equal(marker?.ts, Math.round(summary.cut.atMs * 1000));
    assert.ok(doc.traceEvents.every((e) => e.ts <= (marker?.ts ?? 0) || e.ph === 'X'), 'nothing after the cut');
    assert.deepEqual(doc.otherData?.cut, summary.cut);
  });

  it('cuts at the byte limit too, within it', async () => {
    const whole = await traced(smallSimulation(), 5n);
    const maxBytes = 8000;
    assert.ok(whole.summary.bytes > maxBytes, `the whole trace is ${whole.summary.bytes} bytes`);
    const { text: json, summary } = await traced(smallSimulation(), 5n, { maxBytes });
    checkTrace(json);
    assert.equal(summary.cut?.limit, 'bytes');
    assert.ok(summary.bytes <= maxBytes, `${summary.bytes} bytes`);
    assert.equal(summary.bytes, Buffer.byteLength(json));
  });

  it('traces only the window asked for', async () => {
    const { text: json } = await traced(smallSimulation(), 7n, { fromMs: 40, untilMs: 60 });
    const { doc, shape } = checkTrace(json);
    for (const ev of doc.traceEvents) {
      if (ev.ph === 'M') continue;
      assert.ok(ev.ts <= 60_000 && ev.ts + (ev.dur ?? 0) >= 40_000, `inside the window: ${JSON.stringify(ev)}`);
    }
    assert.ok(names(shape.instants.get('fault')).includes('PartitionCreated'));
    assert.ok(!names(shape.instants.get('fault')).includes('ProcessForceKill'), 'the crash at 100 ms is outside');
  });

  it('marks clogs, and messages dropped in flight, as faults', async () => {
    const builder = new SimulationBuilder()
      .setNetworkConfiguration(measurable({ clogProbability: 1, clogDuration: durationRange(3, 3) }))
      .processes(1, () => echoServer())
      .workload({
        name: 'client',
        async run(ctx) {
          const stream = await ctx.network.connect(`${ctx.topology.processIps[0] as string}:${PORT}`);
          await stream.writeAll(bytes('first'));
          // Its direction is clogged for 3 ms by the first write: this one waits.
          await stream.writeAll(bytes('again'));
          await ctx.time.sleep(20);
          // Written and reset at once: the bytes are still on their way, and are discarded.
          await stream.writeAll(bytes('second'));
          stream.abort();
          await ctx.time.sleep(20);
        },
      });
    const { report, text: json } = await traced(builder, 1n);
    assert.equal(report.runs[0]?.ok, true, report.runs[0]?.error);
    const { shape } = checkTrace(json);
    const faults = shape.instants.get('fault') ?? [];
    const clog = faults.find((f) => f.name === 'Clog');
    assert.equal(clog?.args?.from, '10.0.0.1');
    assert.equal(clog?.args?.untilMs, (clog?.ts ?? 0) / 1000 + 3);
    const dropped = faults.find((f) => f.name === 'MessageDropped');
    assert.equal(dropped?.args?.bytes, 6);
    assert.ok(shape.spans.has('send 6 B (lost)'), [...shape.spans.keys()].join(', '));
    assert.ok(shape.spans.has('clogged write'), 'the second write waited for the clog');
  });

  it('marks the failure of a failing execution', async () => {
    const failing = new SimulationBuilder().workload({
      name: 'w',
      async run(ctx) {
        await ctx.time.sleep(3);
        assertAlways(false, 'never holds');
      },
    });
    const { report, text: json } = await traced(failing, 1n);
    assert.equal(report.runs[0]?.ok, false);
    const { doc, shape } = checkTrace(json);
    assert.deepEqual(names(shape.instants.get('verdict')), ['failed: always-violation']);
    assert.match(String(doc.otherData?.failure), /never holds/);
    const violated = shape.instants.get('assertion')?.find((a) => a.args?.outcome === 'violated');
    assert.equal(violated?.ts, 3000);
  });

  it('ends the file as valid JSON when the run stops before the execution', async () => {
    const stop = new AbortController();
    stop.abort();
    const pieces: string[] = [];
    const report = await smallSimulation()
      .setDebugSeeds([1n])
      .setAbortSignal(stop.signal)
      .trace({ output: (piece) => pieces.push(piece) })
      .run();
    assert.equal(report.interrupted, true);
    const { doc } = checkTrace(pieces.join(''));
    assert.deepEqual(doc.traceEvents, []);
    assert.match(String(doc.otherData?.error), /before the execution/);
  });

  it('refuses a run that is not one execution, and options that make no sense', async () => {
    const output = (): void => {};
    await assert.rejects(smallSimulation().trace({ output }).run(), SimulationError);
    await assert.rejects(smallSimulation().setDebugSeeds([1n, 2n]).trace({ output }).run(), /exactly one seed/);
    assert.throws(() => smallSimulation().trace({ output, maxEvents: 0 }), RangeError);
    assert.throws(() => smallSimulation().trace({ output, fromMs: 5, untilMs: 1 }), RangeError);
    assert.throws(() => smallSimulation().trace({ output: '' }), RangeError);
    await assert.rejects(
      smallSimulation().setDebugSeeds([1n]).trace({ output: join(dir, 'missing', 'x.json') }).run(),
      /cannot write the trace/,
    );
  });
});
