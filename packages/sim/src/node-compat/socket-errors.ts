import { constants } from 'node:os';
import { IoError } from '@moonpool/core';

/**
 * A provider failure shaped like the errors `net` raises (`read ECONNRESET`, with `code`, `errno`
 * and `syscall`), because node:http and user code branch on `err.code`.
 */
export function toNodeError(err: unknown, syscall: string, target?: string): Error {
  if (!(err instanceof IoError)) return err instanceof Error ? err : new Error(String(err));
  const suffix = target === undefined ? '' : ` ${target}`;
  const out: NodeJS.ErrnoException = new Error(`${syscall} ${err.code}${suffix}`, { cause: err });
  out.code = err.code;
  out.syscall = syscall;
  const errno = (constants.errno as Partial<Record<string, number>>)[err.code];
  if (errno !== undefined) out.errno = -errno;
  return out;
}
