export interface DescribeErrorOptions {
  /** Include the stack when there is one (the default): it names the file and line that threw. */
  stack?: boolean;
}

/**
 * The most useful text for a thrown value. Failure reports keep the stack; one-line reasons (an
 * error code's message, a failed check) pass `{ stack: false }` and get the message alone.
 */
export function describeError(err: unknown, { stack = true }: DescribeErrorOptions = {}): string {
  if (!(err instanceof Error)) return String(err);
  if (!stack) return err.message;
  return err.stack ?? `${err.name}: ${err.message}`;
}
