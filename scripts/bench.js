// `npm run bench`: throughput and memory of the simulator, each as a ratio to a baseline measured in
// this same run (absolute numbers depend on the machine; ratios much less). Not part of `npm test`.
// Each figure is the median of several rounds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NetworkConfiguration, SimulationBuilder } from '../packages/sim/dist/src/index.js';
import {
  enterHermetic,
  EventQueue,
  Executor,
  Machine,
  SimProviders,
  SimWorld,
} from '../packages/sim/dist/src/internal.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TASKS = 1000;
const EVENTS = 1_000_000;

const realNow = performance.now.bind(performance);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** Baseline: one heap push/pop and one promise resolution (awaited) per event, 1 000 queued events. */
async function bareLoop() {
  const queue = new EventQueue();
  let seq = 0;
  let draw = 12345;
  const next = () => {
    draw = (Math.imul(draw, 1103515245) + 12345) >>> 0;
    return 1 + (draw % 1000);
  };
  for (let i = 0; i < TASKS; i++)
    queue.push({ time: next(), seq: seq++, kind: 1, cancelled: false });
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const ev = queue.pop();
    let resolve;
    const p = new Promise((r) => {
      resolve = r;
    });
    resolve();
    await p;
    queue.push({ time: ev.time + next(), seq: seq++, kind: 1, cancelled: false });
  }
  return EVENTS / ((performance.now() - started) / 1000);
}

/**
 * The floor for an exact executor: 1 000 async tasks woken from a heap, with the same end-of-drain
 * barrier (one microtask, then one `process.nextTick`) per event but none of the kernel's bookkeeping.
 */
function barrierFloor() {
  const queue = new EventQueue();
  const resolved = Promise.resolve();
  let seq = 0;
  let now = 0;
  let draw = 12345;
  let remaining = EVENTS;
  let processed = 0;
  const next = () => {
    draw = (Math.imul(draw, 1103515245) + 12345) >>> 0;
    return 1 + (draw % 1000);
  };
  const sleep = (d) =>
    new Promise((resolve) => {
      queue.push({ time: now + d, seq: seq++, kind: 1, cancelled: false, resolve });
    });
  const worker = async () => {
    while (remaining-- > 0) await sleep(next());
  };
  return new Promise((done) => {
    const started = performance.now();
    const step = () => {
      const ev = queue.pop();
      if (ev === undefined) {
        done(processed / ((performance.now() - started) / 1000));
        return;
      }
      now = ev.time;
      processed++;
      ev.resolve();
      resolved.then(arm);
    };
    const arm = () => process.nextTick(step);
    for (let i = 0; i < TASKS; i++) worker();
    resolved.then(arm);
  });
}

/**
 * The kernel: 1 000 tasks doing random sleeps, run by the executor. With `hermetic`, inside hermetic
 * mode (Node's globals replaced, machines' task starts separated) although no global is used.
 */
async function kernelLoop(hermetic = false) {
  const world = new SimWorld(42n, { maxEvents: 1e12, maxSimTimeMs: 1e15 });
  const exitHermetic = hermetic ? enterHermetic(world) : null;
  const now = realNow; // performance.now reads simulated time in hermetic mode
  const owner = new Machine('10.0.0.1', 'bench', 'workload');
  world.addMachine(owner);
  const providers = new SimProviders(world, owner);
  let remaining = EVENTS;
  const worker = async () => {
    while (remaining-- > 0)
      await providers.time.sleep(providers.random.randomRange(1, 1000) / 1000);
  };
  const root = async () => {
    await Promise.all(Array.from({ length: TASKS }, worker));
  };
  const started = now();
  const outcome = await new Executor(world).run(root());
  const elapsed = now() - started;
  exitHermetic?.();
  if (outcome.failure) throw new Error(outcome.failure);
  return world.eventsProcessed / (elapsed / 1000);
}

/**
 * Simulated request/response round trips per second: a client workload and an echo process. Under
 * the default configuration's chaos a connection may reset or silently die, so the client times out
 * and reconnects, as a real one would.
 */
async function pingPong(config, roundTrips) {
  const message = new Uint8Array(16);
  const server = {
    name: 'echo',
    async run(ctx) {
      const listener = await ctx.network.bind(`${ctx.myIp}:7000`);
      for (;;) {
        const [stream] = await listener.accept();
        ctx.task.spawn('echo', async () => {
          try {
            for (let data = await stream.read(); data !== null; data = await stream.read()) {
              await stream.writeAll(data);
            }
          } catch {
            // reset by chaos: the client reconnects
          }
        });
      }
    },
  };
  const exchange = async (stream) => {
    await stream.writeAll(message);
    let got = 0;
    while (got < message.length) {
      const data = await stream.read();
      if (data === null) throw new Error('closed');
      got += data.length;
    }
  };
  const client = {
    name: 'client',
    async run(ctx) {
      const addr = `${ctx.topology.processIps[0]}:7000`;
      let stream = null;
      for (let done = 0; done < roundTrips; ) {
        try {
          stream ??= await ctx.time.timeout(1000, ctx.network.connect(addr));
          await ctx.time.timeout(1000, exchange(stream));
          done++;
        } catch {
          stream?.abort();
          stream = null;
        }
      }
      await stream?.close();
    },
  };
  const started = performance.now();
  const report = await new SimulationBuilder()
    .setNetworkConfiguration(config)
    .processes(1, () => server)
    .workload(client)
    .run();
  if (report.failedRuns > 0) throw new Error(`ping-pong failed: ${report.runs[0]?.error}`);
  return roundTrips / ((performance.now() - started) / 1000);
}

function emptySimulation() {
  return new SimulationBuilder().workload({ name: 'empty', async run() {} });
}

async function iterationsPerSecond(makeBuilder, n, hermetic = true) {
  const started = performance.now();
  const report = await makeBuilder().hermetic(hermetic).setIterations(n).run();
  if (report.failedRuns > 0)
    throw new Error(`${report.name}: ${report.runs.find((r) => !r.ok)?.error}`);
  return n / ((performance.now() - started) / 1000);
}

async function loadExample(name) {
  try {
    const mod = await import('../examples/dist/src/index.js');
    return Object.values(mod).find((d) => d?.name === name);
  } catch {
    return undefined;
  }
}

/** Heap after 1 000 and after 10 000 iterations of one run (after a full GC), in a child process. */
function memoryChild() {
  const script = fileURLToPath(new URL('./bench-memory.js', import.meta.url));
  const out = spawnSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout);
}

/**
 * What hermetic mode (on by default) costs code that uses none of Node's globals: time with it over
 * time without it, rounds interleaved so drift in the machine's speed hits both alike.
 */
async function hermeticCost(maze) {
  const ratio = async (measure) => {
    const on = [];
    const off = [];
    for (let r = 0; r < ROUNDS; r++) {
      off.push(await measure(false));
      on.push(await measure(true));
    }
    return median(off) / median(on);
  };
  console.log('(i) hermetic mode, no global used: time with it / time without (target <= 1.10)');
  const kernelRatio = await ratio((h) => kernelLoop(h));
  console.log(`    kernel, 1 000 tasks doing random sleeps: ${kernelRatio.toFixed(3)}`);
  const emptyRatio = await ratio((h) => iterationsPerSecond(emptySimulation, 10_000, h));
  console.log(`    empty simulation, 10 000 iterations:     ${emptyRatio.toFixed(3)}`);
  if (maze) {
    const mazeRatio = await ratio((h) => iterationsPerSecond(() => maze.build(), 200, h));
    console.log(`    plain maze, 200 iterations:              ${mazeRatio.toFixed(3)}`);
  }
}

/** The same work for each of the three below: 10 tasks, each doing 10 random sleeps (100 timer events). */
const SMALL_TASKS = 10;
const SMALL_SLEEPS = 10;

function smallWork(providers) {
  return Promise.all(
    Array.from({ length: SMALL_TASKS }, async () => {
      for (let i = 0; i < SMALL_SLEEPS; i++) await providers.time.sleep(providers.random.randomRange(1, 1000) / 1000);
    }),
  );
}

/** µs per plain iteration through the builder (defaults: hermetic mode, report, seeds, assertions). */
async function smallIterations(n) {
  const started = performance.now();
  const report = await new SimulationBuilder()
    .workload({ name: 'small', run: (ctx) => smallWork(ctx.providers) })
    .setIterations(n)
    .run();
  if (report.failedRuns > 0) throw new Error(`small iteration failed: ${report.runs[0]?.error}`);
  return ((performance.now() - started) * 1000) / n;
}

/** µs per iteration of the kernel alone: a new world, one machine and the executor, the same work. */
async function smallKernel(n) {
  const started = performance.now();
  for (let k = 0; k < n; k++) {
    const world = new SimWorld(BigInt(k + 1), { maxEvents: 1e9, maxSimTimeMs: 1e12 });
    const machine = new Machine('10.0.0.1', 'small', 'workload');
    world.addMachine(machine);
    const outcome = await new Executor(world).run(smallWork(new SimProviders(world, machine)));
    if (outcome.failure) throw new Error(String(outcome.failure));
  }
  return ((performance.now() - started) * 1000) / n;
}

/** µs per iteration of a bare loop: a new heap, 10 chains of 10 events, one awaited promise per event. */
async function smallBare(n) {
  let draw = 12345;
  const next = () => {
    draw = (Math.imul(draw, 1103515245) + 12345) >>> 0;
    return 1 + (draw % 1000);
  };
  const started = performance.now();
  for (let k = 0; k < n; k++) {
    const queue = new EventQueue();
    let seq = 0;
    for (let i = 0; i < SMALL_TASKS; i++) {
      queue.push({ time: next(), seq: seq++, kind: 1, cancelled: false, left: SMALL_SLEEPS - 1 });
    }
    for (let ev = queue.pop(); ev !== undefined; ev = queue.pop()) {
      let resolve;
      const p = new Promise((r) => {
        resolve = r;
      });
      resolve();
      await p;
      if (ev.left > 0) queue.push({ time: ev.time + next(), seq: seq++, kind: 1, cancelled: false, left: ev.left - 1 });
    }
  }
  return ((performance.now() - started) * 1000) / n;
}

/**
 * What an iteration costs beyond its work: a plain iteration through the builder against the kernel
 * alone and a bare heap+promise loop doing the same work (10 tasks x 10 sleeps), rounds interleaved.
 */
async function iterationOverhead() {
  const n = 5000;
  await smallIterations(1000); // warm-up
  await smallKernel(1000);
  await smallBare(1000);
  const builder = [];
  const kernel = [];
  const bare = [];
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await smallBare(n));
    kernel.push(await smallKernel(n));
    builder.push(await smallIterations(n));
  }
  const [b, k, x] = [median(builder), median(kernel), median(bare)];
  // Ratios per round (its three runs follow each other, so a slow spell of the machine hits all three),
  // then the median: steadier than a ratio of medians when other work shares the machine.
  const ratio = (num, den) => median(num.map((v, r) => v / den[r])).toFixed(2);
  console.log(`(l) one iteration of 10 tasks x 10 sleeps (${n} iterations, median of ${ROUNDS})`);
  console.log(`    plain iteration: ${b.toFixed(1)} µs; kernel alone: ${k.toFixed(1)} µs; bare loop: ${x.toFixed(1)} µs`);
  console.log(
    `    iteration/kernel: ${ratio(builder, kernel)}x (target <= 1.3x); kernel/bare: ${ratio(kernel, bare)}x; ` +
      `iteration/bare: ${ratio(builder, bare)}x`,
  );
}

async function main() {
  const bare = [];
  const floor = [];
  const kernel = [];
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await bareLoop());
    floor.push(await barrierFloor());
    kernel.push(await kernelLoop());
  }
  const bareMed = median(bare);
  const floorMed = median(floor);
  const kernelMed = median(kernel);
  console.log('(a) kernel throughput, 1 000 tasks doing random sleeps');
  console.log(`    bare loop (heap push/pop + promise resolution): ${fmt(bareMed)} events/s`);
  console.log(`    floor (1 000 async tasks + heap + drain barrier): ${fmt(floorMed)} events/s`);
  console.log(`    kernel:                                          ${fmt(kernelMed)} events/s`);
  console.log(
    `    bare/kernel time ratio: ${(bareMed / kernelMed).toFixed(2)}x  (target <= 3x; target >= 1,000,000 events/s)`,
  );
  console.log(`    floor/kernel time ratio: ${(floorMed / kernelMed).toFixed(2)}x`);

  await iterationsPerSecond(emptySimulation, 2000); // warm-up
  const empty = [];
  for (let r = 0; r < ROUNDS; r++) empty.push(await iterationsPerSecond(emptySimulation, 10_000));
  const emptyMed = median(empty);
  console.log('(b) per-iteration overhead of an empty simulation');
  console.log(`    ${fmt(emptyMed)} iterations/s  (target >= 20,000)`);
  console.log(
    `    one empty iteration costs as much as ${(bareMed / emptyMed).toFixed(1)} bare-loop events`,
  );

  await iterationOverhead();

  const maze = await loadExample('maze');
  if (maze) {
    const mazeRuns = [];
    await iterationsPerSecond(() => maze.build(), 20);
    for (let r = 0; r < ROUNDS; r++)
      mazeRuns.push(await iterationsPerSecond(() => maze.build(), 200));
    const mazeMed = median(mazeRuns);
    console.log('(c) plain maze');
    console.log(
      `    ${fmt(mazeMed)} iterations/s  (${(emptyMed / mazeMed).toFixed(1)}x the time of an empty iteration)`,
    );
  } else {
    console.log('(c) plain maze: examples not built (run `npm run build`)');
  }

  const defaultRtt = [];
  const fastRtt = [];
  for (let r = 0; r < ROUNDS; r++) {
    defaultRtt.push(await pingPong(NetworkConfiguration.default(), 20_000));
    fastRtt.push(await pingPong(NetworkConfiguration.fastLocal(), 200_000));
  }
  console.log('(e) two-machine ping-pong over simulated TCP (16-byte messages)');
  for (const [label, runs] of [
    ['default configuration', defaultRtt],
    ['fastLocal()', fastRtt],
  ]) {
    const rtt = median(runs);
    console.log(
      `    ${label.padEnd(22)} ${fmt(rtt)} round trips/s; messages/s = ${((2 * rtt) / kernelMed).toFixed(2)}x the kernel's timer events/s`,
    );
  }
  console.log('    (target >= 250,000 round trips/s with fastLocal())');

  const kv = await loadExample('kv');
  if (kv) {
    await iterationsPerSecond(() => kv.build(), 3);
    const kvRuns = [];
    for (let r = 0; r < ROUNDS; r++) kvRuns.push(await iterationsPerSecond(() => kv.build(), 10));
    const kvMed = median(kvRuns);
    console.log('(f) kv (3 servers, 4 clients, attrition during a 20 s chaos phase)');
    console.log(`    ${kvMed.toFixed(1)} iterations/s  (${(emptyMed / kvMed).toFixed(0)}x the time of an empty iteration)`);
  }

  await hermeticCost(maze);

  const mem = memoryChild();
  console.log('(d) memory: heap used after a full GC, empty simulation');
  console.log(
    `    after 1,000 iterations: ${(mem.after1k / 1e6).toFixed(2)} MB; after 10,000: ${(mem.after10k / 1e6).toFixed(2)} MB`,
  );
  console.log(`    ratio: ${(mem.after10k / mem.after1k).toFixed(3)}  (target <= 1.10)`);

  console.log('(g) determinism of the bundled simulations: 200 seeds, twice, fresh process, worker thread');
  const script = fileURLToPath(new URL('./check-determinism.js', import.meta.url));
  const check = spawnSync(process.execPath, [script, '--seeds', '200'], { stdio: 'inherit' });
  if (check.status !== 0) process.exitCode = 1;

  console.log('(h) trace hashes: over 100 000 distinct executions, as many distinct hashes');
  const distinct = fileURLToPath(new URL('./check-hash-distinct.js', import.meta.url));
  if (spawnSync(process.execPath, [distinct], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;

  // Exploration in a process of its own (its worker threads and heap do not disturb the rest).
  const exploration = fileURLToPath(new URL('./bench-exploration.js', import.meta.url));
  if (spawnSync(process.execPath, [exploration], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;

  // The command's start-up, whole processes timed from outside.
  const cli = fileURLToPath(new URL('./bench-cli.js', import.meta.url));
  if (spawnSync(process.execPath, [cli], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;

  // The HTML report's size, write and browser load times, likewise.
  const htmlReport = fileURLToPath(new URL('./bench-html-report.js', import.meta.url));
  if (spawnSync(process.execPath, [htmlReport], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;

  // The transport's figures, likewise in a process of their own.
  const transport = fileURLToPath(new URL('./bench-transport.js', import.meta.url));
  if (spawnSync(process.execPath, [transport], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;

  // Simulated node:http and express against real loopback, and cancelled timers, likewise.
  const http = fileURLToPath(new URL('./bench-http.js', import.meta.url));
  if (spawnSync(process.execPath, [http], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;

  // Shards and their merge at scale (maze x 100 000), in a process of its own.
  const merge = fileURLToPath(new URL('./bench-merge.js', import.meta.url));
  if (spawnSync(process.execPath, [merge], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;

  // Traces of one execution (--trace): sizes and time against the same execution untraced.
  const traces = fileURLToPath(new URL('./bench-trace.js', import.meta.url));
  if (spawnSync(process.execPath, [traces], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;
}

// BENCH_ONLY=hermetic runs section (i) alone, BENCH_ONLY=iteration section (l).
if (process.env.BENCH_ONLY === 'hermetic') await hermeticCost(await loadExample('maze'));
else if (process.env.BENCH_ONLY === 'iteration') await iterationOverhead();
else await main();
