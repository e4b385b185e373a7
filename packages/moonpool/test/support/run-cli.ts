// Runs the `moonpool` command in this process and captures what it prints.
import { runCli } from '../../src/cli/cli.js';

export async function cli(
  args: string[],
  signal?: AbortSignal,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    color: false,
    stderrIsTTY: false,
  }, signal);
  return { code, stdout, stderr };
}
