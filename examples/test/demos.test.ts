import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSucceeded, type SimulationDefinition } from 'moonpool';
import { fanOutAllDemo } from '../src/demos/fan-out-all.sim.js';
import { fanOutAllPartialDemo } from '../src/demos/fan-out-all-partial.sim.js';
import { fanOutQuorumDemo } from '../src/demos/fan-out-quorum.sim.js';
import { fanOutRaceDemo } from '../src/demos/fan-out-race.sim.js';
import { loadBalancedReads } from '../src/demos/load-balanced-reads.sim.js';

/** Each demo and the assertions it promises: every one must pass (always held, sometimes reached). */
const DEMOS: [SimulationDefinition, string[]][] = [
  [
    loadBalancedReads,
    [
      'load-balanced-reads: every read answered',
      'load-balanced-reads: the slow replica served the fewest reads',
      'load-balanced-reads: reads spread over both fast replicas',
      'load-balanced-reads: the slow replica still served some reads',
    ],
  ],
  [
    fanOutAllDemo,
    [
      "fan-out-all: every reply, in the replicas' order",
      'fan-out-all: every replica answered',
      'fan-out-all: a failure is CallFailed, carrying that one failure',
      'fan-out-all: one replica down failed the whole call',
    ],
  ],
  [
    fanOutQuorumDemo,
    [
      'fan-out-quorum: 3 acknowledgements from 3 replicas',
      'fan-out-quorum: a write reached its quorum',
      'fan-out-quorum: QuorumNotMet at the third failure',
      'fan-out-quorum: QuorumNotMet with 3 replicas down',
    ],
  ],
  [
    fanOutRaceDemo,
    [
      'fan-out-race: the winner is one of the replicas',
      'fan-out-race: the fastest replica won',
      'fan-out-race: a slower replica won',
      'fan-out-race: a race fails only when every call failed',
      'fan-out-race: AllFailed with every replica down',
    ],
  ],
  [
    fanOutAllPartialDemo,
    [
      'fan-out-all-partial: one outcome per replica',
      "fan-out-all-partial: each outcome is its replica's reply or a transport error",
      'fan-out-all-partial: every replica answered',
      'fan-out-all-partial: replies and errors together',
    ],
  ],
];

describe('load-balancing and fan-out demos', () => {
  for (const [demo, promised] of DEMOS) {
    it(`${demo.name} passes its seeds and every assertion it promises`, async () => {
      const report = await demo.build().setIterations(5).run();
      assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}: ${report.runs.find((r) => !r.ok)?.error}`);
      const byMsg = new Map(report.assertions.map((a) => [a.msg, a]));
      for (const msg of promised) assert.equal(byMsg.get(msg)?.status, 'pass', `${msg}: ${byMsg.get(msg)?.status ?? 'never evaluated'}`);
      assert.deepEqual(report.coverageViolations, []);
    });
  }
});
