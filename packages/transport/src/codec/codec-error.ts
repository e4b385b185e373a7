/**
 * A value a codec cannot represent faithfully, or bytes it cannot read. The message says what and,
 * for a value, where: `path` is its place in the message (`$` is the whole message, then `.key`
 * and `[index]`), or undefined when the problem is not at one place (invalid UTF-8, invalid JSON).
 */
export class CodecError extends Error {
  /** Always `'CodecError'`. */
  override readonly name = 'CodecError';
  /** Where in the message the value is (`$`, `$.key`, `$[index]`…); undefined when not at one place. */
  readonly path: string | undefined;

  constructor(message: string, options?: { path?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.path = options?.path;
  }
}
