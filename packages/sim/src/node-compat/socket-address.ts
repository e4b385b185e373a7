import { isIP, type AddressInfo } from 'node:net';
import { NetworkAddress } from '@moonpool/core';

/** `ip:port` or `[v6]:port` as `net` reports it; undefined if the text is not an address. */
export function parseSocketAddress(text: string): AddressInfo | undefined {
  try {
    const { ip, port } = NetworkAddress.parse(text);
    return { address: ip, family: isIP(ip) === 6 ? 'IPv6' : 'IPv4', port };
  } catch {
    return undefined;
  }
}

/** The `ip:port` a `Stream` provider expects for a host and port given to node:http. */
export function formatSocketAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
