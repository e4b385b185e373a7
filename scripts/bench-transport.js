// Transport figures of `npm run bench` (also runnable alone: `node scripts/bench-transport.js`). Each
// figure is the median of several rounds, and each comes with a baseline measured in this same run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { UID } from '../packages/core/dist/src/index.js';
import { crc32c, encodePacket, PacketReader } from '../packages/transport/dist/src/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

const PAYLOAD_SIZE = 100;
const FRAME_SIZE = 24 + PAYLOAD_SIZE;
const PACKETS = 1_000_000;
/** Packets framed before the stream is handed to the reader (about 124 KB, a busy socket's worth). */
const BATCH = 1000;
/** The reader gets the stream in 64 KiB chunks, as Node's sockets deliver it: some packets straddle two. */
const CHUNK = 64 * 1024;

/** A few destinations, as on a connection that carries requests for several endpoints. */
const TOKENS = Array.from({ length: 4 }, (_, i) => new UID(0x9e3779b97f4a7c15n + BigInt(i), BigInt(i + 1)));
/** 16 different inputs of `size` bytes, used in turn. */
const inputs = (size) =>
  Array.from({ length: 16 }, (_, k) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + k) & 0xff));
const PAYLOADS = inputs(PAYLOAD_SIZE);

/**
 * Packets per second through `encodePacket`, a copy into the stream (the socket's write) and a
 * `PacketReader` fed in 64 KiB chunks. Every payload's first byte is read so nothing is optimised away.
 */
function frameAndParse() {
  const reader = new PacketReader();
  let received = 0;
  let sink = 0;
  const started = performance.now();
  for (let sent = 0; sent < PACKETS; sent += BATCH) {
    const stream = new Uint8Array(BATCH * FRAME_SIZE);
    for (let i = 0; i < BATCH; i++) stream.set(encodePacket(TOKENS[i & 3], PAYLOADS[i & 15]), i * FRAME_SIZE);
    for (let at = 0; at < stream.length; at += CHUNK) {
      reader.push(stream.subarray(at, Math.min(at + CHUNK, stream.length)));
      for (let packet = reader.next(); packet !== null; packet = reader.next()) {
        sink ^= packet.payload[0];
        received++;
      }
    }
  }
  const elapsed = performance.now() - started;
  if (received !== PACKETS) throw new Error(`received ${received} of ${PACKETS} packets`);
  globalThis.benchSink = sink;
  return PACKETS / (elapsed / 1000);
}

/**
 * The baseline: the same bytes moved with no framing: each payload copied into the stream at its
 * packet's place and read back as a view, per packet.
 */
function bareCopy() {
  let received = 0;
  let sink = 0;
  const started = performance.now();
  for (let sent = 0; sent < PACKETS; sent += BATCH) {
    const stream = new Uint8Array(BATCH * FRAME_SIZE);
    for (let i = 0; i < BATCH; i++) stream.set(PAYLOADS[i & 15], i * FRAME_SIZE + 24);
    for (let i = 0; i < BATCH; i++) {
      const payload = new Uint8Array(stream.buffer, i * FRAME_SIZE + 24, PAYLOAD_SIZE);
      sink ^= payload[0];
      received++;
    }
  }
  const elapsed = performance.now() - started;
  if (received !== PACKETS) throw new Error('bare loop lost packets');
  globalThis.benchSink = sink;
  return PACKETS / (elapsed / 1000);
}

/** CRC32C throughput in MB/s over inputs of `size` bytes (16 different inputs, in turn). */
function crcMegabytesPerSecond(size) {
  const data = inputs(size);
  const calls = Math.max(1000, Math.floor(100_000_000 / size));
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < calls; i++) sink ^= crc32c(data[i & 15]);
  const elapsed = performance.now() - started;
  globalThis.benchSink = sink;
  return (size * calls) / (elapsed / 1000) / 1e6;
}

function wireSection() {
  frameAndParse(); // warm-up
  bareCopy();
  const framed = [];
  const bare = [];
  const crcLarge = [];
  const crcSmall = [];
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(bareCopy());
    framed.push(frameAndParse());
    crcLarge.push(crcMegabytesPerSecond(64 * 1024));
    crcSmall.push(crcMegabytesPerSecond(PAYLOAD_SIZE));
  }
  const framedMed = median(framed);
  const bareMed = median(bare);
  console.log('(t1) wire');
  console.log(`    frame + parse, ${PAYLOAD_SIZE}-byte payloads, 4 tokens, 64 KiB chunks: ${fmt(framedMed)} packets/s  (target >= 2,000,000)`);
  console.log(`    bare copy of the same payloads (no header, no checksum): ${fmt(bareMed)} packets/s`);
  console.log(`    framed/bare time ratio: ${(bareMed / framedMed).toFixed(1)}x`);
  console.log(`    CRC32C, 64 KiB inputs: ${fmt(median(crcLarge))} MB/s  (target >= 500)`);
  console.log(`    CRC32C, ${PAYLOAD_SIZE}-byte inputs: ${fmt(median(crcSmall))} MB/s (${((PAYLOAD_SIZE / median(crcSmall)) * 1000).toFixed(0)} ns a call)`);
}

wireSection();

// The RPC sections need --expose-gc for the heap figure: a process of their own.
const rpc = fileURLToPath(new URL('./bench-rpc.js', import.meta.url));
if (spawnSync(process.execPath, ['--expose-gc', rpc], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;

// The real cluster: processes of its own.
const cluster = fileURLToPath(new URL('./bench-cluster.js', import.meta.url));
if (spawnSync(process.execPath, [cluster], { stdio: 'inherit' }).status !== 0) process.exitCode = 1;
