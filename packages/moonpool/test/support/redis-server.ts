// A real redis-server for the campaign tests: on a free loopback port, in a temporary directory,
// with no persistence; stopped (and its directory removed) by `stop()`.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisServer {
  port: number;
  /** `redis://:<password>@127.0.0.1:<port>` (or without credentials). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Why the campaign tests cannot run here, or null when they can. Without redis-server they are
 * skipped with this reason, except under CI, where a missing server fails them.
 */
export function redisMissing(): string | null {
  if (existsSync(REDIS_SERVER)) return null;
  const reason =
    `${REDIS_SERVER} is missing: install Debian's redis-server package ` +
    '(apt-get install redis-server) to run the campaign tests';
  if (process.env.CI !== undefined) throw new Error(`${reason} (required under CI)`);
  process.stderr.write(`\n*** SKIPPED: ${reason} ***\n\n`);
  return reason;
}

/** Starts redis-server; `password` turns on `requirepass`. */
export async function startRedisServer(password?: string): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'moonpool-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
  if (password !== undefined) args.push('--requirepass', password);
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await ready(child);
  const auth = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A port nobody listens on now (the kernel's choice, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start in 10 s:\n${out}`)), 10_000);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.once('exit', (code) => fail(new Error(`redis-server exited (code ${code}):\n${out}`)));
    child.once('error', fail);
  });
}
