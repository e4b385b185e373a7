// Packs the five packages into one folder as npm tarballs, for projects outside this repository
// (`npm run pack`, then `npm install <folder>/*.tgz` there; docs/getting-started.md). Build first:
// a tarball holds the built dist/. Usage: node scripts/pack.js [folder] (default: packed/).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PACKAGES = ['explorer', 'core', 'sim', 'transport', 'moonpool'];
const folder = resolve(process.argv[2] ?? join(ROOT, 'packed'));

mkdirSync(folder, { recursive: true });
// Old tarballs would be installed too by `npm install <folder>/*.tgz`.
for (const file of readdirSync(folder)) if (file.endsWith('.tgz')) rmSync(join(folder, file));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const workspaces = PACKAGES.flatMap((name) => ['-w', `packages/${name}`]);
const packed = spawnSync(npm, ['pack', '--silent', '--pack-destination', folder, ...workspaces], {
  cwd: ROOT,
  encoding: 'utf8',
  shell: process.platform === 'win32',
});
if (packed.status !== 0) {
  console.error(`npm pack failed:\n${packed.stdout}${packed.stderr}`);
  process.exit(1);
}
const tarballs = readdirSync(folder).filter((f) => f.endsWith('.tgz')).sort();
console.log(`packed ${tarballs.length} packages into ${folder}:`);
for (const t of tarballs) console.log(`  ${t}`);
console.log(`install them in your project with: npm install ${join(folder, '*.tgz')}`);
