/**
 * A value a codec cannot represent faithfully, or bytes it cannot read. The message says what and,
 * for a value, where: `path` is its place in the message (`$` is the whole message, then `.key`
 * and `[index]`), or undefined when the problem is not at one place (invalid UTF-8, invalid JSON).
 */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  readonly path: string | undefined;

  constructor(message: string, options?: { path?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.path = options?.path;
  }
}
