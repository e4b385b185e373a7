import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'undici';

/**
 * undici compiles its HTTP parser (WebAssembly) off the main thread when it loads: a real request
 * first lets that finish. It sets no timeout, so undici's clock tick (a timer singleton that would
 * keep running on real time) is first created inside the simulation.
 */
export async function warmUpUndici(): Promise<void> {
  const server = createServer((_req, res) => res.end('real'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new Client(`http://127.0.0.1:${port}`, { connectTimeout: 0, headersTimeout: 0, bodyTimeout: 0 });
  const res = await client.request({ path: '/', method: 'GET' });
  await res.body.text();
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
