// RPC figures of `npm run bench` (run by bench-transport.js; also alone: `node --expose-gc
// scripts/bench-rpc.js`): getReply round trips in simulation and over real loopback TCP, each with a
// baseline measured in this same run, the heap over 100 000 requests, a quorum fan-out against
// the same number of getReplys, and loadBalance against a direct getReply.
// BENCH_RPC_ONLY=t2,t3 runs only those sections.
import { createServer, request as httpRequest, Agent } from 'node:http';
import { connect as netConnect, createServer as createNetServer } from 'node:net';
import { Endpoint, NetworkAddress, NodeNetworkProvider, NodeProviders, UID } from '../packages/core/dist/src/index.js';
import { NetworkConfiguration, SimulationBuilder } from '../packages/sim/dist/src/index.js';
import {
  Alternatives,
  AtMostOnce,
  Distance,
  fanOutQuorum,
  jsonCodec,
  loadBalance,
  NetTransport,
  PeerConfig,
  QueueModel,
  RequestStream,
  ServiceEndpoint,
} from '../packages/transport/dist/src/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

const ECHO = new UID(0xec40n, 1n);
/** The message of every benchmark: a small JSON object (about 40 bytes encoded). */
const MESSAGE = { id: 1, op: 'echo', body: 'sixteen bytes...' };

/**
 * A codec that does nothing (the message is already bytes): with it, a round trip costs what the
 * transport itself costs, without turning a message into JSON and back.
 */
const bytesCodec = { name: 'bytes', encode: (bytes) => bytes, decode: (bytes) => bytes };
const MESSAGE_BYTES = jsonCodec.encode(MESSAGE);

/** Serves echo requests at ECHO on `transport` until it closes. */
async function echoServer(transport, codec = jsonCodec) {
  const stream = new RequestStream(transport, { token: ECHO }, codec);
  for await (const [request, reply] of stream) reply.send(request);
}

/** A simulated process serving echo requests at port 7000 with `codec`. */
function echoProcess(codec = jsonCodec) {
  return {
    name: 'echo',
    async run(ctx) {
      const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
      await transport.listen(`${ctx.myIp}:7000`);
      await echoServer(transport, codec);
    },
  };
}

/**
 * `roundTrips` getReply calls from a simulated client to a simulated server (fastLocal), made by
 * `concurrency` callers in turn, with the JSON codec or none (`bytes`).
 */
async function simulatedGetReply(roundTrips, { concurrency = 1, bytes = false } = {}) {
  const codec = bytes ? bytesCodec : jsonCodec;
  const message = bytes ? MESSAGE_BYTES : MESSAGE;
  let elapsedMs = 0;
  const report = await new SimulationBuilder()
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .processes(1, () => echoProcess(codec))
    .workload({
      name: 'client',
      async run(ctx) {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        const echo = new ServiceEndpoint(
          transport,
          new Endpoint(new NetworkAddress(ctx.topology.processIps[0], 7000), ECHO),
          codec,
        );
        await echo.getReply(message); // connected
        let left = roundTrips;
        const caller = async () => {
          while (left-- > 0) await echo.getReply(message);
        };
        const started = realNow();
        await Promise.all(Array.from({ length: concurrency }, caller));
        elapsedMs = realNow() - started;
        await transport.close();
      },
    })
    .run();
  if (report.failedRuns > 0) throw new Error(`simulated getReply failed: ${report.runs[0]?.error}`);
  return roundTrips / (elapsedMs / 1000);
}

/** Replicas of the fan-out benchmark (t5), and the quorum it waits for (a majority). */
const REPLICAS = 5;
const QUORUM = 3;

/**
 * `calls` operations from a simulated client to REPLICAS simulated echo servers (fastLocal), one at
 * a time: `quorum` is one fanOutQuorum(QUORUM of REPLICAS); `sequential` is REPLICAS getReplys one
 * after the other, one to each replica; `parallel` is REPLICAS getReplys awaited with Promise.all.
 * Returns operations per second of real time.
 */
async function simulatedFanOut(calls, mode) {
  let elapsedMs = 0;
  const report = await new SimulationBuilder()
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .processes(REPLICAS, () => echoProcess())
    .workload({
      name: 'client',
      async run(ctx) {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        const replicas = ctx.topology.processIps.map(
          (ip) => new ServiceEndpoint(transport, new Endpoint(new NetworkAddress(ip, 7000), ECHO), jsonCodec),
        );
        await Promise.all(replicas.map((r) => r.getReply(MESSAGE))); // connected
        const started = realNow();
        for (let i = 0; i < calls; i++) {
          if (mode === 'quorum') await fanOutQuorum(replicas, MESSAGE, QUORUM);
          else if (mode === 'parallel') await Promise.all(replicas.map((r) => r.getReply(MESSAGE)));
          else for (const r of replicas) await r.getReply(MESSAGE);
        }
        elapsedMs = realNow() - started;
        if (transport.endpointCount !== 0) throw new Error(`${transport.endpointCount} reply endpoints left`);
        await transport.close();
      },
    })
    .run();
  if (report.failedRuns > 0) throw new Error(`simulated fan-out (${mode}) failed: ${report.runs[0]?.error}`);
  return calls / (elapsedMs / 1000);
}

// Hermetic mode replaces performance.now inside a simulation: keep the real one.
const realNow = performance.now.bind(performance);

/** The baseline: the same round trips over raw simulated TCP streams (write, read the echo). */
async function simulatedRawPingPong(roundTrips) {
  const message = MESSAGE_BYTES;
  let elapsedMs = 0;
  const report = await new SimulationBuilder()
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .processes(1, () => ({
      name: 'echo',
      async run(ctx) {
        const listener = await ctx.network.bind(`${ctx.myIp}:7000`);
        const [stream] = await listener.accept();
        for (let data = await stream.read(); data !== null; data = await stream.read()) await stream.writeAll(data);
      },
    }))
    .workload({
      name: 'client',
      async run(ctx) {
        const stream = await ctx.network.connect(`${ctx.topology.processIps[0]}:7000`);
        const started = realNow();
        for (let i = 0; i < roundTrips; i++) {
          await stream.writeAll(message);
          for (let got = 0; got < message.length; ) got += (await stream.read()).length;
        }
        elapsedMs = realNow() - started;
        await stream.close();
      },
    })
    .run();
  if (report.failedRuns > 0) throw new Error(`raw ping-pong failed: ${report.runs[0]?.error}`);
  return roundTrips / (elapsedMs / 1000);
}

/** getReply over real loopback TCP, `concurrency` callers each making requests in turn. */
async function loopbackGetReply(requests, concurrency) {
  const server = NetTransport.builder(new NodeProviders()).build();
  const address = await server.listen('127.0.0.1:0');
  const serving = echoServer(server);
  const client = NetTransport.builder(new NodeProviders()).build();
  const echo = new ServiceEndpoint(client, new Endpoint(address, ECHO), jsonCodec);
  await echo.getReply(MESSAGE);
  let left = requests;
  const caller = async () => {
    while (left-- > 0) await echo.getReply(MESSAGE);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, caller));
  const elapsed = performance.now() - started;
  await client.close();
  await server.close();
  void serving;
  return requests / (elapsed / 1000);
}

/** The baseline: node:http JSON POSTs with a keep-alive agent, same message, same concurrency. */
async function loopbackHttp(requests, concurrency) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      JSON.parse(body.toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const payload = JSON.stringify(MESSAGE);
  const post = () =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/echo',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  await post();
  let left = requests;
  const caller = async () => {
    while (left-- > 0) await post();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, caller));
  const elapsed = performance.now() - started;
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
  return requests / (elapsed / 1000);
}

/** The floor under every loopback figure: a `node:net` echo driven by callbacks, no promises. */
async function loopbackRawNet(roundTrips) {
  const message = jsonCodec.encode(MESSAGE);
  const server = createNetServer({ noDelay: true }, (socket) => socket.on('data', (chunk) => socket.write(chunk)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const socket = netConnect({ host: '127.0.0.1', port: server.address().port, noDelay: true });
  await new Promise((resolve) => socket.once('connect', resolve));
  let left = roundTrips;
  let got = 0;
  const started = performance.now();
  await new Promise((resolve) => {
    socket.on('data', (chunk) => {
      for (got += chunk.length; got >= message.length; got -= message.length) {
        if (--left === 0) return resolve();
        socket.write(message);
      }
    });
    socket.write(message);
  });
  const elapsed = performance.now() - started;
  socket.destroy();
  server.close();
  return roundTrips / (elapsed / 1000);
}

/** The same echo through the production `Stream` (NodeStream): await write, await read. */
async function loopbackStreamPingPong(roundTrips) {
  const message = jsonCodec.encode(MESSAGE);
  const network = new NodeNetworkProvider();
  const listener = await network.bind('127.0.0.1:0');
  const accepted = listener.accept();
  const client = await network.connect(listener.localAddr());
  const [server] = await accepted;
  const echoing = (async () => {
    for (let data = await server.read(); data !== null; data = await server.read()) await server.writeAll(data);
  })().catch(() => undefined);
  const started = performance.now();
  for (let i = 0; i < roundTrips; i++) {
    await client.writeAll(message);
    for (let got = 0; got < message.length; ) got += (await client.read()).length;
  }
  const elapsed = performance.now() - started;
  client.abort();
  await echoing;
  await listener.close();
  return roundTrips / (elapsed / 1000);
}

/** Heap after 10 000 and after 100 000 getReply calls over loopback (after full collections). */
async function heapOverRequests() {
  if (typeof globalThis.gc !== 'function') return null;
  const heap = () => {
    globalThis.gc();
    globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
  const server = NetTransport.builder(new NodeProviders()).build();
  const address = await server.listen('127.0.0.1:0');
  void echoServer(server);
  const client = NetTransport.builder(new NodeProviders()).build();
  const echo = new ServiceEndpoint(client, new Endpoint(address, ECHO), jsonCodec);
  const marks = {};
  for (let i = 1; i <= 100_000; i++) {
    await echo.getReply(MESSAGE);
    if (i === 10_000) marks.after10k = heap();
  }
  marks.after100k = heap();
  marks.endpointsLeft = client.endpointCount;
  await client.close();
  await server.close();
  return marks;
}

/** The three ways of calling the same echo server that (t6) compares. */
const LB_MODES = ['direct', 'lb1', 'lb3'];

/**
 * Calls from a simulated client to 3 simulated echo servers (fastLocal), one at a time, always
 * answered by the first: `direct` is a getReply to it; `lb1` a loadBalance over it alone; `lb3` a
 * loadBalance over all three at three distances, the first the closest (the same server answers,
 * after a choice among three); with a QueueModel, AtMostOnce.False, the default config. The modes
 * take turns in chunks of `chunk` calls inside one simulation, `chunks` times each, so that they
 * share the same world, heap and moment of the machine. Returns calls per second of each mode.
 */
async function simulatedLoadBalance(chunks, chunk) {
  const elapsed = { direct: 0, lb1: 0, lb3: 0 };
  const report = await new SimulationBuilder()
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .processes(3, () => echoProcess())
    .workload({
      name: 'client',
      async run(ctx) {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        const [echo, sameDc, remote] = ctx.topology.processIps.map(
          (ip) => new ServiceEndpoint(transport, new Endpoint(new NetworkAddress(ip, 7000), ECHO), jsonCodec),
        );
        for (const e of [echo, sameDc, remote]) await e.getReply(MESSAGE); // connected
        const one = Alternatives.of([{ target: echo, distance: Distance.SameMachine }]);
        const three = Alternatives.of([
          { target: remote, distance: Distance.Remote },
          { target: echo, distance: Distance.SameMachine },
          { target: sameDc, distance: Distance.SameDc },
        ]);
        const model = new QueueModel(ctx.time);
        for (let c = 0; c < chunks; c++) {
          // The order turns from one round of chunks to the next, so that no mode always follows the
          // same one (a mode's garbage is partly collected in the next one's time). Not a gc() before
          // each chunk: after a full collection V8 starts the young generation small again, and the
          // chunk then measures how fast it grows back.
          for (let m = 0; m < LB_MODES.length; m++) {
            const mode = LB_MODES[(c + m) % LB_MODES.length];
            const started = realNow();
            if (mode === 'direct') for (let i = 0; i < chunk; i++) await echo.getReply(MESSAGE);
            else {
              const among = mode === 'lb1' ? one : three;
              for (let i = 0; i < chunk; i++) await loadBalance(transport, among, MESSAGE, AtMostOnce.False, model);
            }
            elapsed[mode] += realNow() - started;
          }
        }
        if (model.outstanding(echo.endpoint) !== 0) throw new Error('a request left recorded in the model');
        await transport.close();
      },
    })
    .run();
  if (report.failedRuns > 0) throw new Error(`simulated loadBalance failed: ${report.runs[0]?.error}`);
  return Object.fromEntries(LB_MODES.map((mode) => [mode, (chunks * chunk) / (elapsed[mode] / 1000)]));
}

/** BENCH_RPC_ONLY=t2,t3 runs those sections alone (all of them by default). */
const ONLY = process.env.BENCH_RPC_ONLY?.split(',');
const only = (section) => ONLY === undefined || ONLY.includes(section);

async function main() {
  if (only('t2')) await simulatedSection();
  if (only('t3')) await loopbackSection();
  if (only('t4')) await heapSection();
  if (only('t5')) await fanOutSection();
  if (only('t6')) await loadBalanceSection();
}

async function simulatedSection() {
  await simulatedGetReply(5000); // warm-up
  await simulatedRawPingPong(5000);
  const rpc = [];
  const rpcBytes = [];
  const rpc64 = [];
  const raw = [];
  for (let r = 0; r < ROUNDS; r++) {
    raw.push(await simulatedRawPingPong(50_000));
    rpc.push(await simulatedGetReply(50_000));
    rpcBytes.push(await simulatedGetReply(50_000, { bytes: true }));
    rpc64.push(await simulatedGetReply(50_000, { concurrency: 64 }));
  }
  console.log('(t2) getReply round trips in simulation (fastLocal), one client');
  console.log(`    getReply, sequential:              ${fmt(median(rpc))} round trips/s  (target >= 100,000)`);
  console.log(`    getReply, no codec (bytes):        ${fmt(median(rpcBytes))} round trips/s  (the transport alone)`);
  console.log(`    getReply, 64 in flight:            ${fmt(median(rpc64))} round trips/s`);
  console.log(`    raw simulated TCP echo:            ${fmt(median(raw))} round trips/s`);
  console.log(
    `    time ratio to raw: getReply ${(median(raw) / median(rpc)).toFixed(2)}x, ` +
      `no codec ${(median(raw) / median(rpcBytes)).toFixed(2)}x`,
  );
}

async function loopbackSection() {
  console.log('(t3) getReply over real loopback TCP vs node:http JSON POST (keep-alive), same message');
  for (const concurrency of [1, 32]) {
    await loopbackGetReply(2000, concurrency);
    await loopbackHttp(2000, concurrency);
    const ours = [];
    const http = [];
    for (let r = 0; r < ROUNDS; r++) {
      http.push(await loopbackHttp(20_000, concurrency));
      ours.push(await loopbackGetReply(20_000, concurrency));
    }
    console.log(
      `    ${String(concurrency).padStart(2)} in flight: getReply ${fmt(median(ours))} req/s, node:http ${fmt(median(http))} req/s, ` +
        `ratio ${(median(ours) / median(http)).toFixed(2)}x  (target >= 3x)`,
    );
  }
  await loopbackRawNet(2000);
  await loopbackStreamPingPong(2000);
  const rawNet = [];
  const stream = [];
  for (let r = 0; r < ROUNDS; r++) {
    rawNet.push(await loopbackRawNet(20_000));
    stream.push(await loopbackStreamPingPong(20_000));
  }
  console.log(
    `    floor, same message, 1 in flight: node:net echo ${fmt(median(rawNet))} round trips/s, ` +
      `through NodeStream ${fmt(median(stream))} round trips/s (${(median(stream) / median(rawNet)).toFixed(2)}x)`,
  );
}

async function heapSection() {
  const marks = await heapOverRequests();
  console.log('(t4) heap over 100 000 getReply calls (loopback), after full collections');
  if (marks === null) console.log('    skipped: run with --expose-gc');
  else {
    console.log(
      `    after 10,000: ${(marks.after10k / 1e6).toFixed(2)} MB; after 100,000: ${(marks.after100k / 1e6).toFixed(2)} MB; ` +
        `ratio ${(marks.after100k / marks.after10k).toFixed(3)}  (target <= 1.10); ` +
        `reply endpoints left registered: ${marks.endpointsLeft}`,
    );
  }
}

async function fanOutSection() {
  await simulatedFanOut(2000, 'quorum'); // warm-up
  await simulatedFanOut(2000, 'sequential');
  await simulatedFanOut(2000, 'parallel');
  const quorum = [];
  const sequential = [];
  const parallel = [];
  for (let r = 0; r < ROUNDS; r++) {
    sequential.push(await simulatedFanOut(10_000, 'sequential'));
    quorum.push(await simulatedFanOut(10_000, 'quorum'));
    parallel.push(await simulatedFanOut(10_000, 'parallel'));
  }
  console.log(`(t5) fan-out in simulation (fastLocal), ${REPLICAS} echo replicas, one operation at a time`);
  console.log(`    fanOutQuorum, ${QUORUM} of ${REPLICAS}:             ${fmt(median(quorum))} calls/s`);
  console.log(`    ${REPLICAS} getReplys, one after another:   ${fmt(median(sequential))} rounds/s`);
  console.log(`    ${REPLICAS} getReplys with Promise.all:     ${fmt(median(parallel))} rounds/s`);
  console.log(
    `    time of one fanOutQuorum / ${REPLICAS} sequential getReplys: ${(median(sequential) / median(quorum)).toFixed(2)}x; ` +
      `/ ${REPLICAS} with Promise.all: ${(median(parallel) / median(quorum)).toFixed(2)}x`,
  );
}

async function loadBalanceSection() {
  await simulatedLoadBalance(3, 2000); // warm-up
  const balanced = [];
  for (let r = 0; r < ROUNDS; r++) balanced.push(await simulatedLoadBalance(12, 4000));
  const [direct, lb1, lb3] = LB_MODES.map((mode) => balanced.map((rates) => rates[mode]));
  console.log('(t6) loadBalance in simulation (fastLocal), sequential, answered by the same echo server');
  console.log(`    direct getReply:                   ${fmt(median(direct))} round trips/s`);
  console.log(`    loadBalance, 1 alternative:        ${fmt(median(lb1))} calls/s`);
  console.log(`    loadBalance, 3 (3 distances):      ${fmt(median(lb3))} calls/s`);
  // Each round's modes ran side by side: their ratio is paired, steadier than a ratio of medians.
  const ratios = (rates) => balanced.map((round, r) => round.direct / rates[r]).sort((a, b) => a - b);
  const range = (xs) => `${xs[0].toFixed(2)}-${xs[xs.length - 1].toFixed(2)}`;
  const [ratio1, ratio3] = [ratios(lb1), ratios(lb3)];
  console.log(
    `    time ratio to direct getReply (median of rounds): 1 alternative ${median(ratio1).toFixed(2)}x ` +
      `(${range(ratio1)}), 3 alternatives ${median(ratio3).toFixed(2)}x (${range(ratio3)})  (target <= 1.3x)`,
  );
}

await main();
