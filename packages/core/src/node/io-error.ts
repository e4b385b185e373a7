import { describeError } from '../describe-error.js';
import { IoError, type IoErrorCode } from '../errors.js';

const KNOWN_CODES: ReadonlySet<string> = new Set<IoErrorCode>([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTCONN',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'ENOENT',
  'EEXIST',
  'EBADF',
  'EINVAL',
  'EIO',
]);

/** Converts a Node system error into an `IoError`, keeping its code when the contract knows it. */
export function toIoError(err: unknown): IoError {
  if (err instanceof IoError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' && KNOWN_CODES.has(code);
  const message = describeError(err, { stack: false });
  const ioError = new IoError(known ? (code as IoErrorCode) : 'EIO', message);
  ioError.cause = err;
  return ioError;
}
