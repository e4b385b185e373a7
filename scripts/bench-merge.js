// Shards and merge at scale (`node scripts/bench-merge.js [--iterations N] [--shards n]`; section (q)
// of `npm run bench`): maze × 100 000 iterations run whole and as 16 shards in this process, the
// shards' mergeable reports serialised as files would be, merged, and the merge checked equal to
// the whole run (seeds, trace hashes, counts, assertions, verdict). Reports the merge's time as a
// ratio to the whole run's, both measured here, and the report sizes.
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import {
  mergeReports,
  parseMergeableReport,
  reportSucceeded,
  toMergeableReport,
} from '../packages/sim/dist/src/index.js';
import { maze } from '../examples/dist/src/maze/maze.sim.js';

const { values } = parseArgs({ options: { iterations: { type: 'string' }, shards: { type: 'string' } } });
const ITERATIONS = Number(values.iterations ?? 100_000);
const SHARDS = Number(values.shards ?? 16);
const MERGE_ROUNDS = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const mb = (bytes) => (bytes / 1e6).toFixed(1);

/** The report without wall-clock times: what a merge must reproduce exactly. */
function comparable(report) {
  const { totalWallMs: _t, runs, ...rest } = report;
  return { ...rest, runs: runs.map(({ wallMs: _w, ...run }) => run) };
}

async function timed(fn) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const { user, system } = process.cpuUsage(cpu);
  return { value, ms: performance.now() - started, cpuMs: (user + system) / 1000 };
}

console.log(`(q) shards and merge: maze x ${fmt(ITERATIONS)} iterations, whole and as ${SHARDS} shards`);
const whole = await timed(() => maze.build().setIterations(ITERATIONS).run());
const wholeText = JSON.stringify(toMergeableReport([whole.value]));
let shardMs = 0;
const texts = [];
for (let i = 1; i <= SHARDS; i++) {
  const shard = await timed(() => maze.build().setIterations(ITERATIONS).setShard(i, SHARDS).run());
  shardMs += shard.ms;
  texts.push(JSON.stringify(toMergeableReport([shard.value])));
}
// The files in another order than the shards': the merge does not depend on it.
texts.reverse();
const rounds = [];
let merged;
for (let round = 0; round < MERGE_ROUNDS; round++) {
  const parse = await timed(() => texts.map((t, i) => parseMergeableReport(t, `shard-${i}.json`)));
  const merge = await timed(() => mergeReports(parse.value));
  rounds.push({ parse: parse.ms, merge: merge.ms, cpu: parse.cpuMs + merge.cpuMs });
  merged = merge.value.simulations[0];
}
assert.equal(merged.complete, true, 'the shards cover every index');
assert.deepStrictEqual(comparable(merged.report), comparable(whole.value), 'the merge equals the whole run');
assert.equal(reportSucceeded(merged.report), reportSucceeded(whole.value));
const shardBytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
const parseMs = median(rounds.map((r) => r.parse));
const mergeMs = median(rounds.map((r) => r.merge));
const mergeCpu = median(rounds.map((r) => r.cpu));
console.log(`    whole run: ${fmt(whole.ms)} ms (${fmt(whole.cpuMs)} ms CPU); ${SHARDS} shards: ${fmt(shardMs)} ms in all`);
console.log(
  `    mergeable report: whole ${mb(Buffer.byteLength(wholeText))} MB; shards ${mb(shardBytes)} MB in all ` +
    `(${fmt(Buffer.byteLength(wholeText) / ITERATIONS)} bytes per iteration)`,
);
console.log(
  `    merge of ${SHARDS} files (median of ${MERGE_ROUNDS}): parse ${fmt(parseMs)} ms + merge ${fmt(mergeMs)} ms ` +
    `= ${fmt(parseMs + mergeMs)} ms (${fmt(mergeCpu)} ms CPU), ${((parseMs + mergeMs) / whole.ms).toFixed(4)}x the whole run`,
);
console.log('    merged report equals the whole run: yes (seeds, trace hashes, counts, assertions, verdict)');
