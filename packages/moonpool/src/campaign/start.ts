import { resolve } from 'node:path';
import { FlowProducer } from 'bullmq';
import type { Redis } from 'ioredis';
import { MOONPOOL_VERSION } from '@moonpool/sim';
import { discoverNamed, displayPath } from '../cli/discover.js';
import { CliError, UsageError } from '../cli/errors.js';
import type { CampaignRunOptions } from './campaign-args.js';
import { chunkRanges, KEY_PREFIX, MERGE_QUEUE, newCampaignId, RANGES_QUEUE, rangeJobId } from './campaign-keys.js';
import { CAMPAIGN_FORMAT, type CampaignSettings, type CampaignSpec, RANGE_FORMAT, type RangeJobData } from './payload.js';
import { campaignFingerprint } from './range-run.js';

/** One flow holds every range job: beyond this many the chunk is too small to be worth a job each. */
export const MAX_RANGES = 10_000;

export interface StartRequest {
  simulation: string;
  seeds: number;
  chunk: number;
  dir: string | undefined;
  run: CampaignRunOptions;
}

/**
 * Queues a campaign: one BullMQ flow whose parent merge job (id = the campaign id) has one child
 * per seed range. Returns the campaign as queued.
 */
export async function startCampaign(client: Redis, request: StartRequest): Promise<CampaignSpec> {
  const ranges = chunkRanges(request.seeds, request.chunk);
  if (ranges.length > MAX_RANGES) {
    throw new UsageError(
      `--seeds ${request.seeds} in chunks of ${request.chunk} makes ${ranges.length} jobs; at most ${MAX_RANGES}: raise --chunk`,
    );
  }
  const root = resolve(request.dir ?? '.');
  const sim = (await discoverNamed(root, request.simulation)).find((s) => s.definition.name === request.simulation);
  if (sim === undefined) {
    throw new CliError(`no simulation named '${request.simulation}' under ${displayPath(root)} (see moonpool sim list)`);
  }
  const unsigned: Omit<CampaignSettings, 'fingerprint'> = {
    simulation: request.simulation,
    version: MOONPOOL_VERSION,
    seeds: request.seeds,
    baseSeed: request.run.baseSeed === undefined ? null : request.run.baseSeed.toString(),
    checkDeterminism: request.run.checkDeterminism,
    stallTimeoutSeconds: request.run.stallTimeoutSeconds,
  };
  const fingerprint = campaignFingerprint(sim, unsigned);
  if (fingerprint === null) {
    throw new CliError(
      `'${request.simulation}' does not run a counted sequence of seeds (it sets a time limit or pinned seeds): ` +
        'a campaign splits a fixed number of iterations',
    );
  }
  const settings: CampaignSettings = { ...unsigned, fingerprint };
  const id = newCampaignId(request.simulation);
  const spec: CampaignSpec = {
    ...settings,
    format: CAMPAIGN_FORMAT,
    id,
    chunk: request.chunk,
    expectFailure: sim.definition.expectFailure,
    createdAt: Date.now(),
  };
  const flow = new FlowProducer({ connection: client, prefix: KEY_PREFIX });
  try {
    await flow.add({
      name: 'merge',
      queueName: MERGE_QUEUE,
      data: spec,
      opts: { jobId: id },
      children: ranges.map(({ from, to }) => {
        const data: RangeJobData = { ...settings, format: RANGE_FORMAT, campaign: id, from, to };
        // A range that fails for good does not block the merge: the merge reports it, and the campaign fails.
        return { name: 'range', queueName: RANGES_QUEUE, data, opts: { jobId: rangeJobId(id, from, to), ignoreDependencyOnFailure: true } };
      }),
    });
  } finally {
    await flow.close();
  }
  return spec;
}
