import { parseArgs } from 'node:util';
import { DEFAULT_STALL_TIMEOUT_SECONDS } from '../cli/args.js';
import { UsageError } from '../cli/errors.js';
import { parseRedisUrl, type RedisTarget } from './redis-url.js';

/** The environment variable that may carry the Redis URL, so a password stays out of `ps` and shell history. */
export const REDIS_URL_ENV = 'MOONPOOL_REDIS_URL';

/** How the seeds of a campaign are run: what `sim run` would be told, minus what the campaign decides. */
export interface CampaignRunOptions {
  baseSeed: bigint | undefined;
  checkDeterminism: boolean;
  stallTimeoutSeconds: number;
}

export type CampaignArgs =
  | { command: 'help' }
  | ({ command: 'start'; redis: RedisTarget; simulation: string; seeds: number; chunk: number; dir: string | undefined } & {
      run: CampaignRunOptions;
    })
  | { command: 'worker'; redis: RedisTarget; concurrency: number; dir: string | undefined }
  | { command: 'status'; redis: RedisTarget; id: string | undefined; json: boolean }
  | { command: 'report'; redis: RedisTarget; id: string; out: string | undefined; json: boolean };

const OPTIONS = {
  redis: { type: 'string' },
  seeds: { type: 'string' },
  chunk: { type: 'string' },
  dir: { type: 'string' },
  'base-seed': { type: 'string' },
  'check-determinism': { type: 'boolean' },
  'stall-timeout': { type: 'string' },
  concurrency: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which options each command takes: anything else given is an error rather than silently ignored. */
const ALLOWED: Record<'start' | 'worker' | 'status' | 'report', readonly string[]> = {
  start: ['redis', 'seeds', 'chunk', 'dir', 'base-seed', 'check-determinism', 'stall-timeout'],
  worker: ['redis', 'concurrency', 'dir'],
  status: ['redis', 'json'],
  report: ['redis', 'out', 'json'],
};

const U64_MAX = (1n << 64n) - 1n;

/** Parses the words after `campaign`; throws UsageError on anything unexpected. */
export function parseCampaignArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CampaignArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new UsageError((err as Error).message);
    throw err;
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { command: 'help' };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('missing command after campaign: start, worker, status or report');
  if (command !== 'start' && command !== 'worker' && command !== 'status' && command !== 'report') {
    throw new UsageError(`unknown command 'campaign ${command}': expected start, worker, status or report`);
  }
  for (const name of Object.keys(values)) {
    if (!ALLOWED[command].includes(name)) throw new UsageError(`--${name} does not apply to campaign ${command}`);
  }
  const redis = redisOf(values.redis, env);
  switch (command) {
    case 'start': {
      const [simulation, extra] = rest;
      if (simulation === undefined) throw new UsageError('campaign start needs a <simulation> name (see moonpool sim list)');
      if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
      if (values.seeds === undefined) throw new UsageError('campaign start needs --seeds <n>: how many seeds in all');
      const seeds = parseCount('--seeds', values.seeds);
      const chunk = values.chunk === undefined ? Math.min(seeds, 1000) : parseCount('--chunk', values.chunk);
      return {
        command,
        redis,
        simulation,
        seeds,
        chunk,
        dir: values.dir,
        run: {
          baseSeed: values['base-seed'] === undefined ? undefined : parseU64('--base-seed', values['base-seed']),
          checkDeterminism: values['check-determinism'] === true,
          stallTimeoutSeconds:
            values['stall-timeout'] === undefined
              ? DEFAULT_STALL_TIMEOUT_SECONDS
              : parseSeconds('--stall-timeout', values['stall-timeout']),
        },
      };
    }
    case 'worker':
      noMore(rest);
      return {
        command,
        redis,
        concurrency: values.concurrency === undefined ? 1 : parseCount('--concurrency', values.concurrency),
        dir: values.dir,
      };
    case 'status': {
      const [id, extra] = rest;
      noMore(extra === undefined ? [] : [extra]);
      return { command, redis, id, json: values.json === true };
    }
    case 'report': {
      const [id, extra] = rest;
      if (id === undefined) throw new UsageError('campaign report needs a campaign <id> (campaign start printed it)');
      noMore(extra === undefined ? [] : [extra]);
      return { command, redis, id, out: values.out, json: values.json === true };
    }
  }
}

function redisOf(flag: string | undefined, env: NodeJS.ProcessEnv): RedisTarget {
  const text = flag ?? env[REDIS_URL_ENV];
  if (text === undefined || text === '') {
    throw new UsageError(`campaign commands need --redis <url> (or ${REDIS_URL_ENV}): redis://[user:password@]host[:port][/db]`);
  }
  return parseRedisUrl(text);
}

function noMore(rest: readonly string[]): void {
  if (rest[0] !== undefined) throw new UsageError(`unexpected argument '${rest[0]}'`);
}

function parseCount(flag: string, text: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got '${text}'`);
  return n;
}

function parseU64(flag: string, text: string): bigint {
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`${flag} must be an unsigned 64-bit decimal integer, got '${text}'`);
  const value = BigInt(text);
  if (value > U64_MAX) throw new UsageError(`${flag} must be at most ${U64_MAX}, got ${text}`);
  return value;
}

function parseSeconds(flag: string, text: string): number {
  const n = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number of seconds >= 0 (0 turns it off), got '${text}'`);
  return n;
}
