/** Bad command line: reported with a usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Nothing could be run (discovery, loading, selection): reported as is, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
