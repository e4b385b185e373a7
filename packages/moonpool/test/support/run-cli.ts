// Runs the `moonpool` command in this process and captures what it prints.
import { runCli } from '../../src/cli/cli.js';

export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
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
  });
  return { code, stdout, stderr };
}
