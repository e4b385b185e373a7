import { inspect } from 'node:util';
import { UsageError } from '../cli/errors.js';

const EXPECTED = 'redis://[user:password@]host[:port][/db] or rediss://… (TLS)';

/**
 * Where a campaign's Redis is, parsed from a `redis://` or `rediss://` URL. The password is kept in a
 * private field: printing, logging or serialising the target (`String`, `JSON.stringify`,
 * `util.inspect`) shows only `display`, where the password is replaced by `***`.
 */
export class RedisTarget {
  readonly #password: string | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly db: number,
    readonly username: string | undefined,
    password: string | undefined,
    readonly tls: boolean,
  ) {
    this.#password = password;
  }

  /** The URL as it may be shown: the password, if any, replaced by `***`. */
  get display(): string {
    const user = this.username === undefined ? '' : encodeURIComponent(this.username);
    const auth = this.#password === undefined ? (user === '' ? '' : `${user}@`) : `${user}:***@`;
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `${this.tls ? 'rediss' : 'redis'}://${auth}${host}:${this.port}${this.db === 0 ? '' : `/${this.db}`}`;
  }

  /** The connection settings for the Redis client (the one place the password leaves this object). */
  clientOptions(): { host: string; port: number; db: number; username?: string; password?: string; tls?: object } {
    return {
      host: this.host,
      port: this.port,
      db: this.db,
      ...(this.username === undefined ? {} : { username: this.username }),
      ...(this.#password === undefined ? {} : { password: this.#password }),
      ...(this.tls ? { tls: { servername: this.host } } : {}),
    };
  }

  /** Whether `text` contains the password (messages from the client are checked before they are shown). */
  leaksPassword(text: string): boolean {
    return this.#password !== undefined && this.#password !== '' && text.includes(this.#password);
  }

  toString(): string {
    return this.display;
  }

  toJSON(): string {
    return this.display;
  }

  [inspect.custom](): string {
    return `RedisTarget(${this.display})`;
  }
}

/** Parses `--redis`; a bad URL is a UsageError that never repeats the text (it may hold a password). */
export function parseRedisUrl(text: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--redis is not a valid URL: expected ${EXPECTED}`);
  }
  const tls = url.protocol === 'rediss:';
  if (!tls && url.protocol !== 'redis:') {
    throw new UsageError(`--redis must start with redis:// or rediss://, got ${url.protocol}// (expected ${EXPECTED})`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new UsageError(`--redis names no host: expected ${EXPECTED}`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^[0-9]+$/.test(path)) {
    throw new UsageError(`--redis: the path must be a database number (/0, /1, …), not '/${path}'`);
  }
  if (url.search !== '' || url.hash !== '') throw new UsageError(`--redis takes no query or fragment: expected ${EXPECTED}`);
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  return new RedisTarget(host, port, path === '' ? 0 : Number(path), username, password, tls);
}
