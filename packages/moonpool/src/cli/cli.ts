import { resolve } from 'node:path';
import { parseCliArgs } from './args.js';
import { discoverNamed, discoverSimulations, displayPath } from './discover.js';
import { CliError, UsageError } from './errors.js';
import { requireSome, selectSimulations } from './select.js';
import type { Terminal } from './terminal.js';
import { USAGE } from './usage.js';

export type { Terminal } from './terminal.js';

/**
 * Runs the `moonpool` command; resolves to its exit code (0 passed, 1 a simulation failed, 2
 * usage/setup, 130/143 stopped by `signal` aborted with 'SIGINT'/'SIGTERM' after printing what ran).
 */
export async function runCli(argv: readonly string[], term: Terminal, signal?: AbortSignal): Promise<number> {
  try {
    // Campaigns load BullMQ and a Redis client: imported only for `moonpool campaign …`.
    if (argv[0] === 'campaign') {
      const { runCampaignCli } = await import('../campaign/campaign-cli.js');
      return await runCampaignCli(argv.slice(1), term, signal);
    }
    const args = parseCliArgs(argv);
    if (args.command === 'help') {
      term.out(USAGE);
      return 0;
    }
    // A report that cannot be written is said before the run (or the merge), not after it.
    if (args.report !== undefined) (await import('./report-file.js')).checkReportPath(args.report);
    // Each command loads its own modules (and with them the simulator's) only when it runs: `--help`
    // and usage errors load none of them.
    if (args.command === 'merge') return await (await import('./merge-command.js')).runMerge(args, term);
    const root = resolve(args.dir ?? '.');
    const discovery = { warn: (message: string) => term.err(`moonpool: warning: ${message}\n`) };
    // `run <name>` imports only the simulation's own file when it is named after it (start-up time).
    const sims =
      args.command === 'run'
        ? await discoverNamed(root, args.filter, discovery)
        : await discoverSimulations(root, discovery);
    if (args.command === 'list') {
      const { formatList, listJsonLines } = await import('./output.js');
      if (sims.length === 0)
        term.err(`moonpool: no simulations found under ${displayPath(root)}\n`);
      else term.out(`${args.json ? listJsonLines(sims) : formatList(sims)}\n`);
      return 0;
    }
    const selected =
      args.command === 'run'
        ? selectSimulations(sims, args.filter)
        : requireSome(sims, displayPath(root));
    return await (await import('./run-command.js')).runSelected(selected, args, term, signal);
  } catch (err) {
    if (err instanceof UsageError) {
      term.err(`moonpool: ${err.message}\nRun 'moonpool --help' for usage.\n`);
      return 2;
    }
    if (err instanceof CliError) {
      term.err(`moonpool: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
