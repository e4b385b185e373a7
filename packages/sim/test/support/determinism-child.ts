// Entry point for the fresh-process determinism test: `node determinism-child.js --print-hashes N`
// prints the fingerprints of N iterations as JSON on stdout. Without the flag it does nothing (the
// test runner may load every file under test/).
import { determinismHashes } from './determinism-sim.js';

const flag = process.argv.indexOf('--print-hashes');
if (flag !== -1) {
  const iterations = Number(process.argv[flag + 1] ?? '200');
  const hashes = await determinismHashes(iterations);
  process.stdout.write(`${JSON.stringify(hashes)}\n`);
}
