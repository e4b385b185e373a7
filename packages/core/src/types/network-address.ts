import { isIP } from 'node:net';

/** A parsed `ip:port` (IPv6 written as `[addr]:port`). */
export class NetworkAddress {
  constructor(
    /** An IPv4 or IPv6 address, without brackets, as written (not normalised); the constructor rejects others. */
    readonly ip: string,
    /** An integer in 0..65535; the constructor rejects others. */
    readonly port: number,
  ) {
    if (isIP(ip) === 0) throw new RangeError(`invalid IP address: ${JSON.stringify(ip)}`);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`invalid port: ${port}`);
    }
  }

  /** Parses `ip:port` or `[ipv6]:port`; throws a `RangeError` naming the bad input. */
  static parse(text: string): NetworkAddress {
    const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
    if (!match) throw new RangeError(`invalid address ${JSON.stringify(text)}: expected ip:port`);
    return new NetworkAddress(match[1] ?? match[2] ?? '', Number(match[3]));
  }

  /** True for the same `ip` text and port (`::1` and `0:0:0:0:0:0:0:1` are different addresses here). */
  equals(other: NetworkAddress): boolean {
    return this.ip === other.ip && this.port === other.port;
  }

  /** `ip:port` (`[ip]:port` for IPv6); computed once (an address is immutable, and the text keys maps). */
  toString(): string {
    let text = texts.get(this);
    if (text === undefined) {
      text = isIP(this.ip) === 6 ? `[${this.ip}]:${this.port}` : `${this.ip}:${this.port}`;
      texts.set(this, text);
    }
    return text;
  }
}

/** Kept beside the addresses, not in them: equal addresses stay deeply equal. */
const texts = new WeakMap<NetworkAddress, string>();
