// Runs `run-example.js <name>` (the example's server and client as two OS processes on loopback)
// as a child process with a time limit, for the examples' tests.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Far beyond the second or so the two processes need: reaching it means one of them hangs. */
const LIMIT_MS = 40_000;

export interface ExampleRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runExampleForReal(name: string): Promise<ExampleRun> {
  const script = fileURLToPath(new URL('../../src/run-example.js', import.meta.url));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, name], { timeout: LIMIT_MS });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; killed?: boolean; stdout?: string; stderr?: string };
    if (e.killed) {
      throw new Error(`run-example ${name} did not exit within ${LIMIT_MS} ms:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
    }
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
