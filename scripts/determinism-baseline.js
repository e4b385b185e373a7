// The stored determinism baseline: the trace hashes of 200 seeds of every bundled simulation and the
// reports of a reduced `maze-explore`, `dungeon-explore`, `transport-explore`, `load-balance-explore`
// and `quorum-register-explore` (wall times left out). A change meant to keep behaviour must keep
// all of them; `npm test` compares (examples/test/baseline.test.ts).
//   node scripts/determinism-baseline.js            compare against the stored baseline
//   node scripts/determinism-baseline.js --update   write the baseline anew (a deliberate change)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { computeBaseline, diffBaselines } from '../examples/dist/test/support/baseline.js';

const file = fileURLToPath(new URL('../examples/test/baseline.json', import.meta.url));
const { values } = parseArgs({ options: { update: { type: 'boolean' } } });

const current = await computeBaseline();
if (values.update) {
  writeFileSync(file, `${JSON.stringify(current, null, 1)}\n`);
  console.log(`baseline written to ${file}`);
} else {
  const differences = diffBaselines(JSON.parse(readFileSync(file, 'utf8')), current);
  for (const d of differences) console.log(`  DIFFERS  ${d}`);
  console.log(differences.length === 0 ? 'baseline: identical' : `baseline: ${differences.length} difference(s)`);
  if (differences.length > 0) process.exitCode = 1;
}
