import { type ChildProcess, fork } from 'node:child_process';
import type { RangeJobData } from './payload.js';
import { RejectedPayload } from './payload.js';
import type { FailingSeed, RangeMessage, RunRequest } from './range-protocol.js';
import type { MergeableReport } from '@moonpool/sim';

const CHILD_MODULE = new URL('./range-child.js', import.meta.url);
/** The end of a dead child's stderr kept for the job's failure reason (the watchdog's message fits). */
const STDERR_TAIL = 4000;

/** What a range job tells its worker while it runs. */
export interface RangeEvents {
  failing(seed: FailingSeed): void;
  progress(done: number): void;
}

/**
 * Child processes that run range jobs, one per concurrent job, forked when first needed and kept
 * for the next job (a fresh process costs the simulation's import again); a child that died is
 * replaced at the next job.
 */
export class RangePool {
  private readonly idle: ChildProcess[] = [];
  private readonly all = new Set<ChildProcess>();

  constructor(
    private readonly dir: string,
    private readonly stderr: (text: string) => void,
  ) {}

  /** Runs `job` in a child; rejects with RejectedPayload when the child refuses it, Error when it fails. */
  async run(job: RangeJobData, events: RangeEvents): Promise<MergeableReport> {
    const child = this.takeIdle() ?? this.fork();
    let tail = '';
    const onStderr = (chunk: string): void => {
      tail = (tail + chunk).slice(-STDERR_TAIL);
    };
    child.stderr?.on('data', onStderr);
    try {
      const result = await new Promise<MergeableReport>((resolve, reject) => {
        const onMessage = (m: RangeMessage): void => {
          if (m.kind === 'failing') events.failing(m);
          else if (m.kind === 'progress') events.progress(m.done);
          else {
            cleanup();
            if (m.kind === 'done') resolve(m.result);
            else if (m.kind === 'rejected') reject(new RejectedPayload(m.reason));
            else reject(new Error(m.message));
          }
        };
        const onExit = (code: number | null, signal: string | null): void => {
          cleanup();
          const how = signal === null ? `exit code ${code}` : `signal ${signal}`;
          reject(new Error(`the process running seeds ${job.from}:${job.to} ended (${how})${lastWords(tail)}`));
        };
        const cleanup = (): void => {
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.on('exit', onExit);
        const request: RunRequest = { kind: 'run', job, dir: this.dir };
        child.send(request, (err) => {
          if (err === null) return;
          cleanup();
          reject(new Error(`cannot hand seeds ${job.from}:${job.to} to a child process: ${err.message}`));
        });
      });
      this.idle.push(child);
      return result;
    } finally {
      child.stderr?.off('data', onStderr);
    }
  }

  /** Ends every child (a job under way fails; BullMQ gives it to another worker). */
  close(): void {
    for (const child of this.all) child.kill('SIGKILL');
    this.all.clear();
    this.idle.length = 0;
  }

  /** An idle child still connected: one going away (its exit not yet seen) would never answer. */
  private takeIdle(): ChildProcess | undefined {
    for (;;) {
      const child = this.idle.pop();
      if (child === undefined || child.connected) return child;
    }
  }

  private fork(): ChildProcess {
    const child = fork(CHILD_MODULE, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    child.stderr?.setEncoding('utf8');
    // The child's own messages (the watchdog's) still reach the worker's stderr.
    child.stderr?.on('data', (chunk: string) => this.stderr(chunk));
    child.on('exit', () => {
      this.all.delete(child);
      const i = this.idle.indexOf(child);
      if (i >= 0) this.idle.splice(i, 1);
    });
    child.on('error', () => undefined);
    this.all.add(child);
    return child;
  }
}

/**
 * What a dead child last said, its telling line first (status shows first lines only): the
 * watchdog's verdict on a stuck seed if there is one, otherwise its last line.
 */
function lastWords(tail: string): string {
  const lines = tail.trim().split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return '';
  const telling = lines.find((l) => l.startsWith('moonpool: watchdog:')) ?? lines[lines.length - 1];
  return `: ${telling}\n${lines.join('\n')}`;
}
