// `moonpool campaign …`: loaded by the command only for these words, so that BullMQ and the Redis
// client cost nothing to `sim run`.
import type { Redis } from 'ioredis';
import type { Terminal } from '../cli/terminal.js';
import { interruptExitCode } from '../cli/interrupt.js';
import { type CampaignArgs, parseCampaignArgs } from './campaign-args.js';
import { CAMPAIGN_USAGE } from './campaign-usage.js';
import { connectRedis } from './redis-connect.js';
import { campaignJson, finishedCampaign, formatCampaign, writeReport } from './report.js';
import { startCampaign } from './start.js';
import { campaignQueues, campaignStatus, formatStatus, listCampaigns } from './status.js';
import { runCampaignWorker } from './worker.js';

/** Runs `moonpool campaign <argv…>`; resolves to the exit code. Usage and setup errors throw (exit 2). */
export async function runCampaignCli(
  argv: readonly string[],
  term: Terminal,
  signal?: AbortSignal,
): Promise<number> {
  const args = parseCampaignArgs(argv);
  if (args.command === 'help') {
    term.out(CAMPAIGN_USAGE);
    return 0;
  }
  const warn = (message: string): void => term.err(`moonpool: ${message}\n`);
  const client = await connectRedis(args.redis, { longLived: args.command === 'worker', onError: warn });
  try {
    return await dispatch(args, client, term, signal);
  } finally {
    client.disconnect();
  }
}

async function dispatch(
  args: Exclude<CampaignArgs, { command: 'help' }>,
  client: Redis,
  term: Terminal,
  signal: AbortSignal | undefined,
): Promise<number> {
  switch (args.command) {
    case 'start': {
      const spec = await startCampaign(client, args);
      const ranges = Math.ceil(spec.seeds / spec.chunk);
      term.out(`${spec.id}\n`);
      term.err(
        `moonpool: campaign ${spec.id}: ${ranges} ranges of up to ${spec.chunk} seeds of ${spec.simulation} queued on ${args.redis.display}\n` +
          '  run them:    moonpool campaign worker --redis <url>   (as many as you like)\n' +
          `  follow it:   moonpool campaign status --redis <url> ${spec.id}\n`,
      );
      return 0;
    }
    case 'worker':
      await runCampaignWorker({
        client,
        dir: args.dir,
        concurrency: args.concurrency,
        log: (line) => term.err(`moonpool worker: ${line}\n`),
        signal,
      });
      return interruptExitCode(signal) ?? 0;
    case 'status': {
      const queues = campaignQueues(client);
      try {
        if (args.id === undefined) {
          const all = await listCampaigns(queues.merges);
          if (args.json) for (const c of all) term.out(`${JSON.stringify({ ...c.spec, state: c.state })}\n`);
          else if (all.length === 0) term.err('moonpool: no campaigns in this Redis\n');
          else for (const c of all) term.out(`${c.spec.id}  ${c.state}  ${c.spec.simulation}  ${c.spec.seeds} seeds\n`);
          return 0;
        }
        const status = await campaignStatus(client, queues.merges, queues.ranges, args.id);
        term.out(args.json ? `${JSON.stringify(status)}\n` : `${formatStatus(status)}\n`);
        return 0;
      } finally {
        await queues.close();
      }
    }
    case 'report': {
      const queues = campaignQueues(client);
      try {
        const finished = await finishedCampaign(queues.merges, args.id);
        if (args.out !== undefined) {
          if ('result' in finished) await writeReport(args.out, finished.result);
          else term.err(`moonpool: ${args.out} not written: the campaign failed before any report was merged\n`);
        }
        term.out(args.json ? `${JSON.stringify(campaignJson(finished))}\n` : `${formatCampaign(finished, term.color)}\n`);
        return 'result' in finished && finished.result.passed ? 0 : 1;
      } finally {
        await queues.close();
      }
    }
  }
}
