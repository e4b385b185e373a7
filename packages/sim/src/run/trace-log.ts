/** `MOONPOOL_TRACE=1` prints every processed event (time, sequence, machine) to stderr. */
export function traceLogFromEnv(): ((line: string) => void) | null {
  const flag = process.env.MOONPOOL_TRACE;
  if (!flag || flag === '0' || flag === 'false') return null;
  return (line) => process.stderr.write(`${line}\n`);
}
