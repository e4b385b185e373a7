import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError } from '@moonpool/core';
import { isSimulationDefinition, type SimulationDefinition } from '../define-simulation.js';
import { CliError } from './errors.js';

/** A simulation, the file that exports it and the export's name (exploration workers import it). */
export interface DiscoveredSimulation {
  definition: SimulationDefinition;
  file: string;
  exportName: string;
}

const SIM_FILE = /\.sim\.m?js$/;

/** How discovery reads directories and where it reports what it skipped (seams for tests). */
export interface DiscoveryOptions {
  /** A subdirectory that cannot be read is skipped with this warning. */
  warn?: (message: string) => void;
  readDir?: (dir: string) => Promise<Dirent[]>;
}

const readDirEntries = (dir: string): Promise<Dirent[]> => readdir(dir, { withFileTypes: true });

/**
 * Every simulation exported by a `*.sim.js` / `*.sim.mjs` file under `root`, sorted by name.
 * Throws CliError when the root cannot be read, a file cannot be imported or two simulations
 * share a name.
 */
export async function discoverSimulations(
  root: string,
  options: DiscoveryOptions = {},
): Promise<DiscoveredSimulation[]> {
  return loadSimulations(await findSimulationFiles(root, options));
}

/**
 * The simulation named `name`, found without importing every simulation file when its file is named
 * after it (`<name>.sim.js`): importing the rest would cost the command's start-up most of its time.
 * Otherwise (or when no such file defines it), everything is discovered as by `discoverSimulations`.
 */
export async function discoverNamed(
  root: string,
  name: string,
  options: DiscoveryOptions = {},
): Promise<DiscoveredSimulation[]> {
  const files = await findSimulationFiles(root, options);
  const namedAfter = files.filter((file) => simulationFileStem(file) === name);
  if (namedAfter.length > 0) {
    const found = (await loadSimulations(namedAfter)).filter((s) => s.definition.name === name);
    if (found.length > 0) return found;
  }
  return loadSimulations(files);
}

/** `maze` for `…/maze.sim.js`. */
function simulationFileStem(file: string): string {
  return basename(file).replace(SIM_FILE, '');
}

/** Imports `files` and collects their simulations, sorted by name; names must be unique. */
async function loadSimulations(files: readonly string[]): Promise<DiscoveredSimulation[]> {
  // Keyed by the definition itself, so one object exported twice (`export default sim`) counts once.
  const found = new Map<SimulationDefinition, { file: string; exportName: string }>();
  for (const file of files) {
    let exported: Record<string, unknown>;
    try {
      exported = await import(pathToFileURL(file).href);
    } catch (err) {
      throw new CliError(`cannot load ${displayPath(file)}:\n${describeError(err)}`);
    }
    for (const [exportName, value] of Object.entries(exported)) {
      if (isSimulationDefinition(value) && !found.has(value)) found.set(value, { file, exportName });
    }
  }
  const sims = [...found].map(([definition, where]) => ({ definition, ...where }));
  sims.sort((a, b) => compare(a.definition.name, b.definition.name));
  for (let i = 1; i < sims.length; i++) {
    const [prev, cur] = [sims[i - 1], sims[i]];
    if (prev && cur && prev.definition.name === cur.definition.name) {
      throw new CliError(
        `two simulations are named '${cur.definition.name}': in ${displayPath(prev.file)} and ${displayPath(cur.file)}`,
      );
    }
  }
  return sims;
}

/**
 * Simulation files under `root`, skipping node_modules and dot-directories; sorted for a stable
 * order. An unreadable root is a CliError; an unreadable subdirectory is skipped with a warning.
 */
export async function findSimulationFiles(root: string, options: DiscoveryOptions = {}): Promise<string[]> {
  const info = await stat(root).catch(() => null);
  if (info === null) throw new CliError(`directory not found: ${displayPath(root)}`);
  if (!info.isDirectory()) throw new CliError(`not a directory: ${displayPath(root)}`);
  const readDir = options.readDir ?? readDirEntries;
  let entries: Dirent[];
  try {
    entries = await readDir(root);
  } catch (err) {
    throw new CliError(`cannot read directory ${displayPath(root)}: ${reason(err)}`);
  }
  const warn = options.warn ?? (() => undefined);
  const files: string[] = [];
  for (const found of await walk(root, entries, readDir)) {
    if ('file' in found) files.push(found.file);
    else warn(found.skipped);
  }
  return files;
}

/** A simulation file, or a subdirectory skipped (the warning). */
type Found = { file: string } | { skipped: string };

/** What the directory `dir` (its `entries`) holds, depth first in name order. */
async function walk(dir: string, entries: Dirent[], readDir: (dir: string) => Promise<Dirent[]>): Promise<Found[]> {
  entries.sort((a, b) => compare(a.name, b.name));
  // Subdirectories are read all at once (start-up in a large tree); what they hold keeps the name order.
  const found = await Promise.all(
    entries.map(async (entry): Promise<Found[]> => {
      const path = join(dir, entry.name);
      // Symbolic links are not followed: they could loop, and a linked package would be found twice.
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
        let inner: Dirent[];
        try {
          inner = await readDir(path);
        } catch (err) {
          // One directory the user cannot read (another user's build output, a mount) must not hide the rest.
          return [{ skipped: `skipped ${displayPath(path)}: cannot read it (${reason(err)})` }];
        }
        return walk(path, inner, readDir);
      }
      return entry.isFile() && SIM_FILE.test(entry.name) ? [{ file: path }] : [];
    }),
  );
  return found.flat();
}

/** `EACCES: permission denied` rather than the whole message with the path repeated. */
function reason(err: unknown): string {
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && typeof message === 'string') {
    const detail = /^[A-Z]+: ([^,]+)/.exec(message)?.[1];
    return detail === undefined ? code : `${code}: ${detail}`;
  }
  return describeError(err, { stack: false });
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Paths in messages are shown relative to the current directory, as the user would type them. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
