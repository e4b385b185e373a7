// HTTP figures of `npm run bench` (also alone: `node scripts/bench-http.js`; BENCH_HTTP_ONLY=timers,node
// runs only those sections: timers, node, express, service). An unmodified node:http server in
// simulation (createSimHttpServer + serveHttp, fastLocal network, a keep-alive httpAgent) against
// the same handler on a real loopback socket with a keep-alive http.Agent, in the same process,
// rounds interleaved; the http-service example's iterations/s; and what cancelling a simulated timer
// costs against a plain sleep that fires.
import { Agent, createServer, request } from 'node:http';
import { setTimeout as nodeSleep } from 'node:timers/promises';
import express from 'express';
import { NetworkConfiguration, SimulationBuilder, createSimHttpServer, httpAgent, serveHttp } from '../packages/sim/dist/src/index.js';
import { Executor, Machine, SimProviders, SimWorld } from '../packages/sim/dist/src/internal.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ONLY = process.env.BENCH_HTTP_ONLY?.split(',');
const runs = (section) => ONLY === undefined || ONLY.includes(section);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Per round ratios, then their median: a slow spell of the machine hits both sides of a round alike. */
const ratioOfRounds = (num, den) => median(num.map((v, r) => v / den[r]));
const spread = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
/** Real time even inside a simulation (hermetic mode makes `performance.now` read simulated time). */
const realNow = performance.now.bind(performance);

const PORT = 8080;
const ITEM = { id: 'apple', value: 'a small JSON body, about sixty bytes long' };
const BODY = Buffer.from(JSON.stringify(ITEM));

/** The node:http handler both sides serve: a small JSON body. */
function nodeHandler(_req, res) {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
  res.end(BODY);
}

/** The same answer through express (routing, `res.json`, its ETag). */
function expressHandler() {
  const app = express();
  app.get('/item', (_req, res) => res.json(ITEM));
  return app;
}

/** One GET of /item through `agent`; resolves with the body's length once it has been read. */
function get(agent, host, port) {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host, port, path: '/item' }, (res) => {
      let length = 0;
      res.on('data', (chunk) => (length += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(length) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `requests` GETs made by `clients` callers in turn; real µs per request. */
async function timedGets(agent, host, port, requests, clients) {
  for (let i = 0; i < clients; i++) await get(agent, host, port); // connections open, code warm
  await Promise.all(Array.from({ length: clients }, () => get(agent, host, port)));
  let left = requests;
  const caller = async () => {
    while (left-- > 0) await get(agent, host, port);
  };
  const started = realNow();
  await Promise.all(Array.from({ length: clients }, caller));
  return ((realNow() - started) * 1000) / requests;
}

/** µs per request on a real loopback socket: `makeHandler()` served by `http.createServer`. */
async function loopback(makeHandler, requests, clients) {
  const server = createServer(makeHandler());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new Agent({ keepAlive: true });
  try {
    return await timedGets(agent, '127.0.0.1', server.address().port, requests, clients);
  } finally {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** µs per request in simulation (fastLocal, hermetic as by default): the same handler, served unmodified. */
async function simulated(makeHandler, requests, clients) {
  let perRequest = 0;
  const report = await new SimulationBuilder()
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .processes(1, () => ({
      name: 'http',
      async run(ctx) {
        const serving = serveHttp(createSimHttpServer(makeHandler()), await ctx.network.bind(`${ctx.myIp}:${PORT}`), ctx.time);
        await new Promise((resolve) => ctx.shutdown.addEventListener('abort', resolve, { once: true }));
        await serving.close();
      },
    }))
    .workload({
      name: 'client',
      async run(ctx) {
        const agent = httpAgent(ctx.network, ctx.time, { keepAlive: true });
        try {
          perRequest = await timedGets(agent, ctx.topology.processIps[0], PORT, requests, clients);
        } finally {
          agent.destroy();
        }
      },
    })
    .run();
  if (report.failedRuns > 0) throw new Error(`simulated http failed: ${report.runs[0]?.error}`);
  return perRequest;
}

/** Simulated and real µs per request, rounds interleaved; prints one line per concurrency. */
async function httpSection(label, makeHandler) {
  console.log(`(w) ${label}: µs per GET, simulated (fastLocal) vs real loopback, median of ${ROUNDS} rounds`);
  for (const [clients, requests] of [
    [1, 3000],
    [16, 6000],
  ]) {
    await simulated(makeHandler, 500, clients); // warm-up
    await loopback(makeHandler, 500, clients);
    const sim = [];
    const real = [];
    for (let r = 0; r < ROUNDS; r++) {
      sim.push(await simulated(makeHandler, requests, clients));
      real.push(await loopback(makeHandler, requests, clients));
    }
    const what = clients === 1 ? 'sequential   ' : `${clients} concurrent`;
    console.log(
      `    ${what}: simulated ${median(sim).toFixed(1)} µs (${spread(sim)}), real ${median(real).toFixed(1)} µs ` +
        `(${spread(real)}); simulated/real ${ratioOfRounds(sim, real).toFixed(2)}x  (target <= 0.7x, goal 0.5x)`,
    );
  }
}

async function loadExample(name) {
  const mod = await import('../examples/dist/src/index.js');
  return Object.values(mod).find((d) => d?.name === name);
}

/** The http-service example (default chaos, reboots, 3 clients for 20 simulated seconds): iterations/s. */
async function serviceSection() {
  const service = await loadExample('http-service');
  const iterationsPerSecond = async (n) => {
    const started = realNow();
    const report = await service.build().setIterations(n).run();
    if (report.failedRuns > 0) throw new Error(`http-service: ${report.runs.find((r) => !r.ok)?.error}`);
    return n / ((realNow() - started) / 1000);
  };
  await iterationsPerSecond(2);
  const rates = [];
  for (let r = 0; r < ROUNDS; r++) rates.push(await iterationsPerSecond(10));
  console.log(`(w) http-service example: ${median(rates).toFixed(2)} iterations/s (${spread(rates)}), median of ${ROUNDS}`);
}

const TIMER_TASKS = 100;
const TIMER_OPS = 200_000;
/** Sleeps sharing one signal in the shared-signal case, all cancelled by one abort. */
const SHARED = 100;
/** Operations of the cases that make a fresh signal each (30–70 µs apiece). */
const FRESH_OPS = 40_000;

/**
 * Real µs per operation: `TIMER_TASKS` tasks of one simulated machine each awaiting `op(time)` in
 * turn, where one call of `op` does `ops` operations, `total` operations in all.
 */
async function timerOps({ op, ops = 1, total = TIMER_OPS }) {
  const world = new SimWorld(7n, { maxEvents: 1e12, maxSimTimeMs: 1e15 });
  const owner = new Machine('10.0.0.1', 'bench', 'workload');
  world.addMachine(owner);
  const time = new SimProviders(world, owner).time;
  let left = total / ops;
  const worker = async () => {
    while (left-- > 0) await op(time);
  };
  const started = realNow();
  const outcome = await new Executor(world).run(Promise.all(Array.from({ length: TIMER_TASKS }, worker)));
  if (outcome.failure) throw new Error(String(outcome.failure));
  return ((realNow() - started) * 1000) / total;
}

const settled = Promise.resolve();
const ignore = () => {};
/** Starts `wait` on a fresh signal and aborts it at once; resolves when the wait has been rejected. */
function abortedAtOnce(wait) {
  const controller = new AbortController();
  const waiting = wait(controller.signal).catch(ignore);
  controller.abort();
  return waiting;
}

/** A signal shared by sleeps that fire (a shutdown signal): never aborted. */
const shutdown = new AbortController().signal;
/** The timer operations compared, each against the first; `ops` operations per awaited call. */
const TIMER_CASES = {
  baseline: { label: 'plain sleep that fires (baseline)', op: (time) => time.sleep(1) },
  shared: {
    label: `sleep(1000, signal), ${SHARED} per signal, one abort`,
    ops: SHARED,
    op: (time) => {
      const controller = new AbortController();
      let last;
      for (let i = 0; i < SHARED; i++) last = time.sleep(1000, controller.signal).catch(ignore);
      controller.abort();
      return last;
    },
  },
  fresh: {
    label: 'sleep(1000, signal), fresh controller, aborted',
    total: FRESH_OPS,
    op: (time) => abortedAtOnce((signal) => time.sleep(1000, signal)),
  },
  caller: {
    label: "  the caller's AbortController + abort() alone",
    total: FRESH_OPS,
    op: () => {
      new AbortController().abort();
      return settled;
    },
  },
  least: {
    label: '  ... + one abort listener rejecting a promise',
    total: FRESH_OPS,
    op: () =>
      abortedAtOnce(
        (signal) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
      ),
  },
  nodeTimer: {
    label: '  node:timers/promises setTimeout(1000, signal)',
    total: FRESH_OPS,
    op: () => abortedAtOnce((signal) => nodeSleep(1000, undefined, { signal })),
  },
  timeoutBeaten: { label: 'timeout(1000, promise) that the promise beats', op: (time) => time.timeout(1000, settled) },
  timeoutWork: { label: 'timeout(1000, signal => work), work beats', op: (time) => time.timeout(1000, () => settled) },
  calledOff: {
    label: 'callAfter(1000, fire), then called off',
    op: (time) => {
      time.callAfter(1000, ignore)();
      return settled;
    },
  },
  sharedFires: { label: 'sleep(1, signal) that fires, shared signal', op: (time) => time.sleep(1, shutdown) },
};

/** Cancelled timers against a plain sleep that fires, rounds interleaved, ratios taken per round. */
async function timerSection() {
  const cases = Object.values(TIMER_CASES);
  for (const c of cases) await timerOps(c); // warm-up
  const results = cases.map(() => []);
  for (let r = 0; r < ROUNDS; r++) for (const [i, c] of cases.entries()) results[i].push(await timerOps(c));
  const byName = Object.fromEntries(Object.keys(TIMER_CASES).map((name, i) => [name, results[i]]));
  const base = byName.baseline;
  const line = (label, us, ratio) => console.log(`    ${label.padEnd(50)} ${us.toFixed(3)} µs  ${ratio.toFixed(2)}x`);
  console.log(
    '(w) simulated timers: real µs per operation and its ratio to a plain sleep that fires, per round ' +
      `(${TIMER_TASKS} tasks, ${TIMER_OPS} operations, median of ${ROUNDS})`,
  );
  for (const [i, c] of cases.entries()) line(c.label, median(results[i]), ratioOfRounds(results[i], base));
  // The framework's share of a cancelled sleep: its cost less the caller's controller and abort().
  const shareOf = (total, callers) => total.map((us, r) => us - byName.caller[r] / callers);
  const freshShare = shareOf(byName.fresh, 1);
  const sharedShare = shareOf(byName.shared, SHARED);
  line('framework\'s share: fresh controller', median(freshShare), ratioOfRounds(freshShare, base));
  line(`framework's share: ${SHARED} per signal`, median(sharedShare), ratioOfRounds(sharedShare, base));
  // Any sleep that honours a fresh signal pays at least one listener and one rejection (`least`).
  const overLeast = byName.fresh.map((us, r) => us - byName.least[r]);
  line('fresh controller, over the least any sleep pays', median(overLeast), ratioOfRounds(overLeast, base));
  console.log('    (target: a cancelled timeout()/sleep(ms, signal) <= 1.2x, the caller\'s own signal aside)');
}

if (runs('timers')) await timerSection();
if (runs('node')) await httpSection('node:http', () => nodeHandler);
if (runs('express')) await httpSection('express', expressHandler);
if (runs('service')) await serviceSection();
