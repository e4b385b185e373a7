// The register's client as an OS process on NodeProviders:
//   node client-main.js --replicas <ip:port>,<ip:port>,... [--ops 4000] [--lanes 4] [--after-kill 0]
// Runs the simulation's workload (`runRegisterLoad`, majority quorums) for --ops operations, printing
// progress every tenth of them. A line `killed <epoch ms>` on stdin says a replica was killed then
// (the cluster runner sends it): the client reports how long the first write begun after it took to
// be acknowledged. With --after-kill n it waits for that line (or the end of stdin) and does at least
// n operations after it, however fast the first --ops went. At the end it reads once more and checks
// its whole history: exit 0 only if the history is linearizable, that read returned the newest
// acknowledged write or a newer one, and (after a kill) a write begun after the kill was acknowledged.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { NetTransport, NodeProviders, PeerConfig } from 'moonpool';
import { RegisterClient } from './register-client.js';
import { RegisterHistory } from './register-history.js';
import { type OpOutcome, runOp, runRegisterLoad } from './register-load.js';
import { compareVersions, formatVersion, majority } from './register-service.js';

const { values } = parseArgs({
  options: {
    replicas: { type: 'string' },
    ops: { type: 'string', default: '4000' },
    lanes: { type: 'string', default: '4' },
    'after-kill': { type: 'string', default: '0' },
  },
});
const replicas = (values.replicas ?? '').split(',').filter((r) => r !== '');
const ops = Number(values.ops);
const lanes = Number(values.lanes);
const afterKill = Number(values['after-kill']);
if (replicas.length === 0 || !(ops > 0) || !(lanes > 0) || !(afterKill >= 0)) {
  console.error('usage: client-main.js --replicas <ip:port>,... [--ops 4000] [--lanes 4] [--after-kill 0]');
  process.exit(2);
}

/** Wall-clock ms since the epoch of a `performance.now()` reading (comparable across processes). */
const epochOf = (now: number): number => performance.timeOrigin + now;

let killedAt: number | null = null;
/** No kill notice can come any more. */
let stdinEnded = false;
const stdin = createInterface({ input: process.stdin });
stdin.on('line', (line) => {
  const match = /^killed (\d+(?:\.\d+)?)$/.exec(line);
  if (match !== null) killedAt = Number(match[1]);
});
stdin.on('close', () => (stdinEnded = true));

const providers = new NodeProviders();
const transport = NetTransport.builder(providers).peerConfig(PeerConfig.localNetwork()).build();
const history = new RegisterHistory();
const outcomes: OpOutcome[] = [];
const every = Math.max(1, Math.round(ops / 10));
let started = 0;
let startedAfterKill = 0;
let failed = 0;
/** Until --ops operations began and, if asked, --after-kill of them after a kill notice. */
const keepGoing = (): boolean => {
  if (killedAt !== null) startedAfterKill++;
  const more = started < ops || (afterKill > 0 && startedAfterKill <= afterKill && (killedAt !== null || !stdinEnded));
  if (more) started++;
  return more;
};
console.log(
  `${replicas.length} replicas, quorums of ${majority(replicas.length)}, ${lanes} lanes, ${ops} operations ` +
    '(50 % writes, 30 % quorum reads, 20 % reads of one replica through loadBalance)',
);
const begin = providers.time.now();
await runRegisterLoad(providers, transport, {
  replicas,
  client: 'client',
  lanes,
  keepGoing,
  thinkMs: [0, 0],
  writeShare: 0.5,
  readOneShare: 0.2,
  history,
  onOp: (outcome) => {
    outcomes.push(outcome);
    if (outcome.failure !== null) failed++;
    if (outcomes.length % every === 0) {
      const { writesAcknowledged, reads, readOnes } = history.counts;
      console.log(
        `progress ${outcomes.length} ops: ${writesAcknowledged} writes acknowledged, ${reads} quorum reads, ` +
          `${readOnes} load-balanced reads, ${failed} failed`,
      );
    }
  },
});
const elapsed = providers.time.now() - begin;
console.log(`done: ${outcomes.length} ops in ${Math.round(elapsed)} ms (${Math.round(outcomes.length / (elapsed / 1000))} ops/s), ${failed} failed`);

let recovered = true;
if (killedAt !== null) {
  const kill = killedAt;
  const before = outcomes.filter((o) => epochOf(o.endedMs) <= kill);
  const after = outcomes.filter((o) => epochOf(o.startedMs) >= kill);
  const rate = (list: OpOutcome[]): number => {
    if (list.length < 2) return 0;
    const first = Math.min(...list.map((o) => o.startedMs));
    const last = Math.max(...list.map((o) => o.endedMs));
    return list.length / ((last - first) / 1000);
  };
  const failedOf = (list: OpOutcome[]): number => list.filter((o) => o.failure !== null).length;
  const readOnesAfter = after.filter((o) => o.kind === 'readOne');
  const slowest = Math.max(0, ...readOnesAfter.map((o) => o.endedMs - o.startedMs));
  console.log(
    `before the kill: ${before.length} ops (${Math.round(rate(before))} ops/s); begun after it: ${after.length} ops ` +
      `(${Math.round(rate(after))} ops/s), ${failedOf(after)} failed; of them load-balanced reads: ` +
      `${readOnesAfter.length}, ${failedOf(readOnesAfter)} failed, the slowest ${slowest.toFixed(1)} ms`,
  );
  const acked = (o: OpOutcome): boolean => o.kind === 'write' && o.failure === null;
  const byEnd = (a: OpOutcome, b: OpOutcome): number => a.endedMs - b.endedMs;
  const firstAcked = outcomes.filter((o) => acked(o) && epochOf(o.endedMs) > kill).sort(byEnd)[0];
  const firstBegun = after.filter(acked).sort(byEnd)[0];
  if (firstAcked !== undefined) {
    console.log(`first write acknowledged after the kill: ${(epochOf(firstAcked.endedMs) - kill).toFixed(1)} ms after it`);
  }
  if (firstBegun === undefined) {
    recovered = false;
    console.log('no write begun after the kill was acknowledged');
  } else {
    console.log(`recovery: the first write begun after the kill was acknowledged ${(epochOf(firstBegun.endedMs) - kill).toFixed(1)} ms after it`);
  }
}

// The last read: it must see the newest acknowledged write (or a newer one).
const last = new RegisterClient(transport, replicas, { writer: 'client/last' });
let final: OpOutcome | null = null;
for (let attempt = 0; attempt < 5 && final?.failure !== null; attempt++) final = await runOp(providers, last, 'read', '', { history });
await transport.close();
stdin.close();
process.stdin.destroy();

const newest = history.newestAcknowledged;
const survived = final !== null && final.version !== null && compareVersions(final.version, newest) >= 0;
console.log(
  `final read: ${final?.version == null ? `failed (${final?.failure ?? '?'})` : formatVersion(final.version)}; ` +
    `newest acknowledged write: ${formatVersion(newest)} (of ${history.counts.writesAcknowledged} acknowledged)`,
);
console.log(history.violation === null ? 'linearizable: yes' : `linearizable: NO: ${history.violation}`);
console.log(`every acknowledged write survived: ${survived ? 'yes' : 'NO'}`);
process.exitCode = history.violation === null && survived && recovered ? 0 : 1;
