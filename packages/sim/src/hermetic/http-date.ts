import { ServerResponse } from 'node:http';
import { simulatedWorld } from './active.js';
import { simDateNow } from './sim-clock.js';

const realWriteHead = ServerResponse.prototype.writeHead;

/**
 * `ServerResponse.prototype.writeHead` for hermetic mode. node:http stamps the `Date` header from an
 * internal copy of `Date` (and caches it on a real timer), which no global patch reaches; setting the
 * header first from the simulated clock keeps node:http from reading the real one.
 */
export function simWriteHead(this: ServerResponse, ...args: unknown[]): ServerResponse {
  if (simulatedWorld() !== null && this.sendDate && !this.headersSent && !this.hasHeader('date')) {
    this.setHeader('Date', new Date(simDateNow()).toUTCString());
  }
  return (realWriteHead as (...a: unknown[]) => ServerResponse).apply(this, args);
}

export const serverResponsePrototype = ServerResponse.prototype;
