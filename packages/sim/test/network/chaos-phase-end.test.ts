// The end of the chaos phase (builder .chaosDuration): partitions heal and no new network fault is
// injected.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationRange } from '../../src/config/duration-range.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { FAULT_LOG } from '../../src/chaos/fault-events.js';
import { bytes, hammingDistance, patternBytes, text } from '../support/bytes.js';
import { quietNetwork } from '../support/network-harness.js';
import { echoServer, inRange, PORT, readExactly, runBuilder } from '../support/network-fault-helpers.js';

describe('network faults: end of the chaos phase (builder .chaosDuration)', () => {
  it('heals partitions: a connect blocked by a 10 s automatic partition completes soon after chaos ends', async () => {
    let connectedAt = Number.NaN;
    let faultTimes: number[] = [];
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(
          quietNetwork({ partitionProbability: 1, partitionDuration: durationRange(10_000, 10_001) }),
        )
        .chaosDuration(300)
        .processes(1, echoServer)
        .workload({
          name: 'client',
          async run(ctx) {
            const ip = ctx.topology.processIps[0] as string;
            await ctx.time.sleep(1); // let the server bind
            const s = await ctx.network.connect(`${ip}:${PORT}`);
            connectedAt = ctx.time.now();
            await s.writeAll(bytes('after'));
            assert.equal(text(await readExactly(s, 5)), 'after');
            await s.close();
            faultTimes = ctx.eventLog<{ type: string }>(FAULT_LOG).all().map((e) => e.timeMs);
          },
        }),
    );
    assert.ok(faultTimes.length > 0, 'a partition was created');
    assert.ok(faultTimes.every((t) => t <= 300), `faults after chaos ended: ${faultTimes.join(',')}`);
    inRange(connectedAt, 300, 1300, 'connected after the heal at the end of chaos (ms)');
  });

  it('no new faults after chaos: bit flips stop, the exchange becomes byte-exact', async () => {
    const mismatchesAt: number[] = [];
    let okAfter = 0;
    let flips: number[] = [];
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(
          quietNetwork(
            { bitFlipProbability: 1, bitFlipMinBits: 1, bitFlipMaxBits: 1 },
            { writeLatency: durationRange(1, 2) },
          ),
        )
        .chaosDuration(100)
        .processes(1, echoServer)
        .workload({
          name: 'client',
          async run(ctx) {
            const ip = ctx.topology.processIps[0] as string;
            await ctx.time.sleep(1);
            const s = await ctx.network.connect(`${ip}:${PORT}`);
            for (let i = 0; i < 50; i++) {
              const sentAt = ctx.time.now();
              const msg = patternBytes(64, i + 1);
              await s.writeAll(msg);
              const echoed = await readExactly(s, 64);
              if (hammingDistance(echoed, msg) !== 0) mismatchesAt.push(sentAt);
              else if (sentAt > 100) okAfter++;
              await ctx.time.sleep(10);
            }
            await s.close();
            flips = ctx.eventLog<{ type: string }>(FAULT_LOG).all().filter((e) => e.event.type === 'BitFlip').map((e) => e.timeMs);
          },
        }),
    );
    assert.ok(mismatchesAt.length >= 5, 'bit flips during chaos');
    assert.ok(mismatchesAt.every((t) => t < 100), `corruption after chaos: ${mismatchesAt.join(',')}`);
    assert.ok(flips.length > 0 && flips.every((t) => t <= 100));
    assert.ok(okAfter >= 40);
  });
});
