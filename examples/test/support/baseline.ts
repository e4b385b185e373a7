// What the determinism baseline holds and how two baselines are compared (see
// scripts/determinism-baseline.js and baseline.test.ts).
import { reportToJson, type SimulationReport } from 'moonpool';
import * as bundled from '../../src/index.js';
import { dungeonExplore } from '../../src/dungeon/dungeon-explore.sim.js';
import { loadBalanceExplore } from '../../src/load-balance/load-balance-explore.sim.js';
import { mazeExplore } from '../../src/maze/maze-explore.sim.js';
import { quorumRegisterExplore } from '../../src/quorum-register/quorum-register-explore.sim.js';
import { transportExplore } from '../../src/transport/transport-explore.sim.js';

export const BASELINE_SEEDS = 200;

export interface Baseline {
  /** Per bundled simulation, `seed:traceHash` of its first BASELINE_SEEDS generated seeds. */
  hashes: Record<string, string[]>;
  /** Per exploring simulation (reduced energy), its JSON report without wall-clock times. */
  explorations: Record<string, unknown>;
}

/** The report as JSON, without the fields that measure wall-clock time. */
function withoutWallTimes(report: SimulationReport): unknown {
  const json = reportToJson(report);
  return { ...json, totalWallMs: undefined, runs: json.runs.map((r) => ({ ...r, wallMs: undefined })) };
}

/** The baseline of the first `seeds` seeds of each bundled simulation and the four explorations. */
export async function computeBaseline(seeds = BASELINE_SEEDS): Promise<Baseline> {
  const hashes: Record<string, string[]> = {};
  for (const def of Object.values(bundled)) {
    const report = await def.build().setIterations(seeds).run();
    hashes[def.name] = report.runs.map((r) => `${r.seed}:${r.traceHash}`);
  }
  const maze = await mazeExplore.build().run();
  const dungeon = await dungeonExplore
    .build()
    .enableExploration({
      maxDepth: 120,
      timelinesPerSplit: 30,
      globalEnergy: 3_000,
      adaptive: { batchSize: 30, minTimelines: 400, maxTimelines: 1000, perMarkEnergy: 10_000, warmMinTimelines: 30 },
    })
    .setIterations(2)
    .run();
  const transport = await transportExplore
    .build()
    .enableExploration({ maxDepth: 4, timelinesPerSplit: 4, globalEnergy: 12 })
    .setIterations(1)
    .run();
  const loadBalance = await loadBalanceExplore
    .build()
    .enableExploration({ maxDepth: 4, timelinesPerSplit: 4, globalEnergy: 12 })
    .setIterations(1)
    .run();
  const quorumRegister = await quorumRegisterExplore
    .build()
    .enableExploration({ maxDepth: 4, timelinesPerSplit: 4, globalEnergy: 12 })
    .setIterations(1)
    .run();
  return {
    hashes,
    explorations: {
      'maze-explore': withoutWallTimes(maze),
      'dungeon-explore': withoutWallTimes(dungeon),
      'transport-explore': withoutWallTimes(transport),
      'load-balance-explore': withoutWallTimes(loadBalance),
      'quorum-register-explore': withoutWallTimes(quorumRegister),
    },
  };
}

/** Human-readable differences between a stored and a current baseline (empty when identical). */
export function diffBaselines(stored: Baseline, current: Baseline): string[] {
  const out: string[] = [];
  const names = new Set([...Object.keys(stored.hashes), ...Object.keys(current.hashes)]);
  for (const name of names) {
    const b = current.hashes[name] ?? [];
    // A current baseline of fewer seeds is compared with the stored one's first seeds.
    const a = (stored.hashes[name] ?? []).slice(0, b.length || undefined);
    const first = a.findIndex((h, i) => h !== b[i]);
    if (a.length !== b.length || first >= 0) {
      const at = first >= 0 ? first : Math.min(a.length, b.length);
      out.push(`${name}: seed #${at} was ${a[at] ?? '(none)'}, now ${b[at] ?? '(none)'}`);
    }
  }
  for (const name of new Set([...Object.keys(stored.explorations), ...Object.keys(current.explorations)])) {
    const a = JSON.stringify(stored.explorations[name]);
    const b = JSON.stringify(current.explorations[name]);
    if (a !== b) {
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      out.push(`${name} report differs at …${a.slice(Math.max(0, i - 60), i + 40)}… (now …${b?.slice(Math.max(0, i - 60), i + 40)}…)`);
    }
  }
  return out;
}
