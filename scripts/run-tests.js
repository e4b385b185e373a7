// Runs every compiled test file (`<package>/dist/test/**/*.test.js`) with Node's built-in test runner.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const packageDirs = [
  'packages/explorer',
  'packages/core',
  'packages/sim',
  'packages/transport',
  'packages/moonpool',
  'examples',
];
const files = [];
for (const dir of packageDirs) {
  const testDir = join(dir, 'dist', 'test');
  if (!existsSync(testDir)) continue;
  for (const entry of readdirSync(testDir, { recursive: true })) {
    if (String(entry).endsWith('.test.js')) files.push(join(testDir, String(entry)));
  }
}
files.sort();
if (files.length === 0) {
  console.error('no test files found: run `npm run build` first');
  process.exit(1);
}
const extra = process.argv.slice(2);
const result = spawnSync(process.execPath, ['--test', ...extra, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
