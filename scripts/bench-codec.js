// Message codec figures (`node scripts/bench-codec.js` after `npm run build`): the JSON codec's
// encode + decode against plain JSON.stringify/JSON.parse with TextEncoder/TextDecoder, the same
// message, in this same run. Each figure is the median of several rounds.
import { jsonCodec } from '../packages/transport/dist/src/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = 300_000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Nanoseconds per call of `fn`, median of ROUNDS rounds of N calls after a warm-up. */
function nsPerCall(fn) {
  for (let i = 0; i < N / 3; i++) fn();
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    for (let i = 0; i < N; i++) fn();
    rounds.push(((performance.now() - started) * 1e6) / N);
  }
  return median(rounds);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const plain = (message) => () => JSON.parse(decoder.decode(encoder.encode(JSON.stringify(message()))));
const codec = (message) => () => jsonCodec.decode(jsonCodec.encode(message()));

// The baseline cannot carry the bigint: it sends it as a number, the closest plain-JSON message.
const cases = [
  ['RPC-like, 46 bytes', () => ({ id: 1, op: 'echo', body: 'sixteen bytes...' }), () => ({ id: 1, op: 'echo', body: 'sixteen bytes...' })],
  ['small, with a bigint', () => ({ a: 1, b: 'hello', c: [1, 2, 3], id: 123n }), () => ({ a: 1, b: 'hello', c: [1, 2, 3], id: 123 })],
  ['small, no bigint', () => ({ a: 1, b: 'hello', c: [1, 2, 3], id: 123 }), () => ({ a: 1, b: 'hello', c: [1, 2, 3], id: 123 })],
  [
    '~2 KB, 20 records',
    () => ({ page: 3, items: Array.from({ length: 20 }, (_, i) => ({ id: BigInt(i) << 40n, name: `item ${i}`, price: i * 1.25, tags: ['a', 'b'] })) }),
    () => ({ page: 3, items: Array.from({ length: 20 }, (_, i) => ({ id: i * 2 ** 40, name: `item ${i}`, price: i * 1.25, tags: ['a', 'b'] })) }),
  ],
];

console.log('message codec: encode + decode round trip (ns per message, lower is better)');
for (const [name, ours, theirs] of cases) {
  const base = nsPerCall(plain(theirs));
  const json = nsPerCall(codec(ours));
  console.log(
    `    ${name.padEnd(22)} jsonCodec ${Math.round(json)} ns, JSON + TextEncoder/Decoder ${Math.round(base)} ns: ratio ${(json / base).toFixed(2)}`,
  );
}
const bytes = jsonCodec.encode({ a: 1, b: 'hello', c: [1, 2, 3], id: 123n });
const enc = nsPerCall(() => jsonCodec.encode({ a: 1, b: 'hello', c: [1, 2, 3], id: 123n }));
const dec = nsPerCall(() => jsonCodec.decode(bytes));
console.log(`    small message alone: encode ${Math.round(enc)} ns, decode ${Math.round(dec)} ns (budget: low microseconds)`);
