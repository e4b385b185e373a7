// Hermetic mode: while simulated code runs, Node's clocks and random sources read simulated time and
// the seeded generator (same seed, same values; another seed, other values), and the real functions
// are back, exactly, once the run is over, even when it failed.
import assert from 'node:assert/strict';
import nodeCrypto, { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { SimContext } from '../../src/engine/context.js';
import { SIM_EPOCH_MS } from '../../src/hermetic/sim-clock.js';

/** The properties hermetic mode replaces, with what they are before any run. */
function snapshot(): Map<string, PropertyDescriptor | undefined> {
  const places: [string, object, PropertyKey][] = [
    ['Date', globalThis, 'Date'],
    ['Math.random', Math, 'random'],
    ['performance.now', performance, 'now'],
    ['process.hrtime', process, 'hrtime'],
    ['crypto.randomUUID', globalThis.crypto, 'randomUUID'],
    ['crypto.getRandomValues', globalThis.crypto, 'getRandomValues'],
    ['node:crypto randomBytes', nodeCrypto, 'randomBytes'],
    ['node:crypto randomInt', nodeCrypto, 'randomInt'],
    ['node:crypto randomUUID', nodeCrypto, 'randomUUID'],
    ['node:crypto randomFillSync', nodeCrypto, 'randomFillSync'],
    ['setTimeout', globalThis, 'setTimeout'],
    ['setInterval', globalThis, 'setInterval'],
    ['setImmediate', globalThis, 'setImmediate'],
    ['clearTimeout', globalThis, 'clearTimeout'],
  ];
  return new Map(places.map(([name, target, key]) => [name, Object.getOwnPropertyDescriptor(target, key)]));
}

const before = snapshot();
const realDate = Date;
const realDateNow = Date.now;
const realRandom = Math.random;

/** Every virtualised source, read once from inside a workload. */
function sample(ctx: SimContext): Record<string, unknown> {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  const hr = process.hrtime();
  return {
    simNow: ctx.time.now(),
    dateNow: Date.now(),
    newDate: new Date().getTime(),
    dateString: Date(),
    performanceNow: performance.now(),
    hrtime: hr,
    hrtimeBigint: process.hrtime.bigint(),
    mathRandom: Math.random(),
    webRandomUUID: globalThis.crypto.randomUUID(),
    getRandomValues: [...bytes],
    nodeGetRandomValues: [...nodeCrypto.getRandomValues(new Uint32Array(2))],
    randomBytes: randomBytes(6).toString('hex'),
    randomInt: randomInt(1_000_000),
    randomIntRange: randomInt(-5, 5),
    randomUUID: randomUUID(),
    randomFillSync: nodeCrypto.randomFillSync(Buffer.alloc(4)).toString('hex'),
  };
}

async function sampleSeeds(seeds: number[]): Promise<Record<string, unknown>[]> {
  const samples: Record<string, unknown>[] = [];
  const report = await new SimulationBuilder()
    .workload({
      name: 'sampler',
      async run(ctx) {
        await ctx.time.sleep(1234.5);
        samples.push(sample(ctx));
      },
    })
    .setDebugSeeds(seeds)
    .run();
  assert.equal(report.failedRuns, 0, report.runs.find((r) => !r.ok)?.error);
  return samples;
}

const RANDOM_KEYS = [
  'mathRandom',
  'webRandomUUID',
  'getRandomValues',
  'nodeGetRandomValues',
  'randomBytes',
  'randomInt',
  'randomUUID',
  'randomFillSync',
];

describe('hermetic mode: clocks and randomness', () => {
  it('read simulated time and the seeded generator: same seed, same values; another seed, others', async () => {
    const [a, b, c] = (await sampleSeeds([1, 1, 2])) as Record<string, unknown>[];
    assert.deepEqual(a, b);
    for (const key of RANDOM_KEYS) assert.notDeepEqual(a?.[key], c?.[key], `${key} is the same for seeds 1 and 2`);
    const s = a as Record<string, unknown>;
    assert.equal(s.simNow, 1234.5);
    assert.equal(s.performanceNow, 1234.5);
    assert.deepEqual(s.hrtime, [1, 234_500_000]);
    assert.equal(s.hrtimeBigint, 1_234_500_000n);
    // The wall clock is the machine's: simulated time plus its clock drift (under 100 ms by default).
    const wall = s.dateNow as number;
    assert.ok(Number.isInteger(wall));
    assert.ok(wall >= SIM_EPOCH_MS + 1234 && wall < SIM_EPOCH_MS + 1234 + 100, `${wall}`);
    assert.equal(s.newDate, wall);
    assert.match(s.dateString as string, /^Wed Jan 01 2020 00:00:01 /);
    assert.match(s.randomUUID as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok((s.randomIntRange as number) >= -5 && (s.randomIntRange as number) < 5);
  });

  it('keeps the real Date for every other form, and instanceof Date', async () => {
    let seen: unknown[] = [];
    await new SimulationBuilder()
      .workload({
        name: 'dates',
        async run() {
          const d = new Date(2001, 1, 3);
          seen = [d.getFullYear(), d instanceof Date, new Date(0).toISOString(), Date.UTC(2000, 0, 1)];
        },
      })
      .run();
    assert.deepEqual(seen, [2001, true, '1970-01-01T00:00:00.000Z', realDate.UTC(2000, 0, 1)]);
  });

  it('validates arguments as the real functions do', async () => {
    const errors: string[] = [];
    await new SimulationBuilder()
      .workload({
        name: 'bad input',
        async run() {
          const attempts = [
            () => randomBytes(-1),
            () => randomInt(5, 5),
            () => globalThis.crypto.getRandomValues(new Float64Array(2) as unknown as Uint8Array),
            () => globalThis.crypto.getRandomValues(new Uint8Array(65537)),
            () => setTimeout('not a function' as unknown as () => void, 1),
          ];
          for (const attempt of attempts) {
            try {
              attempt();
              errors.push('no error');
            } catch (err) {
              errors.push((err as Error).name);
            }
          }
        },
      })
      .run();
    assert.deepEqual(errors, ['RangeError', 'RangeError', 'TypeMismatchError', 'QuotaExceededError', 'TypeError']);
  });

  it('gives code outside simulated code (between iterations) the real functions', async () => {
    const outside: number[] = [];
    await new SimulationBuilder()
      .workload({ name: 'w', run: async (ctx) => ctx.time.sleep(10) })
      .setIterations(2)
      .onIterationDone(() => outside.push(Date.now()))
      .run();
    for (const t of outside) assert.ok(Math.abs(t - realDateNow()) < 60_000, `${t} is not the real time`);
  });

  it('puts the real functions back exactly after a run, a failed iteration and a run that throws', async () => {
    const failing = await new SimulationBuilder()
      .workload({
        name: 'thrower',
        async run() {
          throw new Error('boom');
        },
      })
      .run();
    assert.equal(failing.failedRuns, 1);
    assert.deepEqual(snapshot(), before);
    await assert.rejects(
      new SimulationBuilder()
        .workload({ name: 'w', run: async () => {} })
        .onIterationDone(() => {
          throw new Error('the observer throws');
        })
        .run(),
      /the observer throws/,
    );
    assert.deepEqual(snapshot(), before);
    assert.equal(Date, realDate);
    assert.equal(Math.random, realRandom);
    assert.ok(Date.now() > SIM_EPOCH_MS + 365 * 86_400_000, 'Date.now is real again');
  });

  it('hermetic(false) leaves the real functions in place', async () => {
    let seen: { date: DateConstructor; random: () => number } | null = null;
    await new SimulationBuilder()
      .hermetic(false)
      .workload({
        name: 'w',
        async run() {
          seen = { date: Date, random: Math.random };
        },
      })
      .run();
    assert.deepEqual(seen, { date: realDate, random: realRandom });
    assert.throws(() => new SimulationBuilder().hermetic('yes' as unknown as boolean), TypeError);
  });
});
