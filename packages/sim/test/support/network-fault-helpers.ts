// What the network fault tests share: three machines (A, B, C) on a bare network harness, a
// connected pair of streams, reading helpers, the outcome of an operation within a deadline, tolerant
// range checks, a measurable configuration; and, for the tests through the builder, an echo server.
import assert from 'node:assert/strict';
import { IoError, type Listener, type Stream, TimeoutError } from '@moonpool/core';
import type { ChaosConfiguration } from '../../src/config/chaos-configuration.js';
import { durationRange } from '../../src/config/duration-range.js';
import type { NetworkConfiguration } from '../../src/config/network-configuration.js';
import type { SimStream } from '../../src/network/connection.js';
import type { SimulationBuilder } from '../../src/builder/builder.js';
import type { SimContext } from '../../src/engine/context.js';
import { concat } from './bytes.js';
import { type NetHarness, type NetHarnessOptions, type NetMachine, quietNetwork, runNet } from './network-harness.js';

export const A = '10.0.1.1';
export const B = '10.0.1.2';
export const C = '10.0.1.3';
export const PORT = 4000;

export interface Pair {
  client: Stream;
  server: Stream;
  listener: Listener;
}

/** Binds `server:PORT` and opens one connection from `client` to it. */
export async function pair(client: NetMachine, server: NetMachine, port = PORT): Promise<Pair> {
  const listener = await server.network.bind(`${server.ip}:${port}`);
  const [c, [s]] = await Promise.all([client.network.connect(`${server.ip}:${port}`), listener.accept()]);
  return { client: c, server: s, listener };
}

/** One more connection to an existing listener. */
export async function dial(client: NetMachine, listener: Listener): Promise<[Stream, Stream]> {
  const [c, [s]] = await Promise.all([client.network.connect(listener.localAddr()), listener.accept()]);
  return [c, s];
}

export const connId = (s: Stream): number => (s as SimStream).conn.id;

export async function readExactly(stream: Stream, n: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let got = 0;
  while (got < n) {
    const c = await stream.read(n - got);
    assert.ok(c !== null, `end of stream after ${got} of ${n} bytes`);
    chunks.push(c);
    got += c.length;
  }
  return concat(chunks);
}

export async function readToEnd(stream: Stream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let c = await stream.read(); c !== null; c = await stream.read()) chunks.push(c);
  return concat(chunks);
}

export function ioCode(codes: readonly string[]): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof IoError, `expected IoError ${codes.join('/')}, got ${String(err)}`);
    assert.ok(codes.includes(err.code), `expected ${codes.join('/')}, got ${err.code}`);
    return true;
  };
}

export async function rejectsIo(p: Promise<unknown>, ...codes: string[]): Promise<void> {
  await assert.rejects(p, ioCode(codes));
}

/** How a promise ends within `ms` of `m`'s time: its value, an IoError code, or `timeout`. */
export async function outcome<T>(m: NetMachine, ms: number, p: Promise<T>): Promise<'ok' | 'timeout' | string> {
  try {
    await m.time.timeout(ms, p);
    return 'ok';
  } catch (err) {
    if (err instanceof TimeoutError) return 'timeout';
    if (err instanceof IoError) return err.code;
    throw err;
  }
}

/** Milliseconds rounded to the tick (1 µs), so differences of simulated times compare exactly. */
export const us = (ms: number): number => Math.round(ms * 1000) / 1000;

export function inRange(value: number, lo: number, hi: number, what: string): void {
  assert.ok(value >= lo && value <= hi, `${what}: ${value} not in [${lo}, ${hi}]`);
}

/** A harness with machines A, B (and C), running `main`. */
export async function net(
  options: NetHarnessOptions,
  main: (h: NetHarness, a: NetMachine, b: NetMachine, c: NetMachine) => Promise<void>,
): Promise<NetHarness> {
  return runNet(options, (h) => main(h, h.machine(A), h.machine(B), h.machine(C)));
}

/** Latencies slow enough to observe (write 1–2 ms, read 0.5–1 ms), chaos as given. */
export function measurable(chaos: Partial<ChaosConfiguration> = {}): NetworkConfiguration {
  return quietNetwork(chaos, { writeLatency: durationRange(1, 2), readLatency: durationRange(0.5, 1) });
}

/** Runs the builder for `seeds`; every iteration must succeed. */
export async function runBuilder(b: SimulationBuilder, seeds: number[] = [1]): Promise<void> {
  const report = await b.setDebugSeeds(seeds).run();
  for (const run of report.runs) assert.ok(run.ok, `seed ${run.seed}: ${run.error ?? ''}`);
}

/** Echoes every connection until end of stream. */
export function echoServer(): { name: string; run(ctx: SimContext): Promise<void> } {
  return {
    name: 'echo',
    async run(ctx) {
      const listener = await ctx.network.bind(`${ctx.myIp}:${PORT}`);
      for (;;) {
        const [s] = await listener.accept();
        void (async () => {
          try {
            for (let c = await s.read(); c !== null; c = await s.read()) await s.writeAll(c);
            await s.close();
          } catch {
            s.abort();
          }
        })();
      }
    },
  };
}
