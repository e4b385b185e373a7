import { NodeNetworkProvider, type Stream } from '../../src/index.js';

const net = new NodeNetworkProvider();

/**
 * A connected loopback pair through `NodeNetworkProvider`; `fn` runs with both ends (and the address
 * the listener saw the client at), which are torn down afterwards.
 */
export async function withLoopbackPair(
  fn: (client: Stream, server: Stream, clientSeenAt: string) => Promise<void>,
): Promise<void> {
  const listener = await net.bind('127.0.0.1:0');
  const accepted = listener.accept();
  const client = await net.connect(listener.localAddr());
  const [server, clientSeenAt] = await accepted;
  try {
    await fn(client, server, clientSeenAt);
  } finally {
    client.abort();
    server.abort();
    await listener.close();
  }
}
