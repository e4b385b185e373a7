/** Bad command line: reported with a usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Nothing could be run (discovery, loading, selection): reported as is, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** The most useful text for a thrown value: the stack when there is one (it names the file and line). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}
