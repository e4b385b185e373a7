// Providers whose streams are watched or hindered: every byte a machine receives parsed again by a
// shadow PacketReader (which wire errors did corrupted streams hit?), or writes that never complete
// (a send buffer full because the other side stopped reading).
import type { Listener, NetworkProvider, Providers, Stream } from '@moonpool/core';
import { PacketReader, WireError, type WireErrorKind } from '../../src/index.js';

function tapped(stream: Stream, onWireError: (kind: WireErrorKind) => void): Stream {
  const shadow = new PacketReader();
  let broken = false;
  const watch = (chunk: Uint8Array): void => {
    if (broken) return;
    try {
      shadow.push(chunk);
      while (shadow.next() !== null);
    } catch (err) {
      broken = true;
      if (err instanceof WireError) onWireError(err.kind);
    }
  };
  return {
    localAddr: stream.localAddr,
    peerAddr: stream.peerAddr,
    read: async (maxBytes) => {
      const chunk = await stream.read(maxBytes);
      if (chunk !== null) watch(chunk);
      return chunk;
    },
    consume: (onChunk) =>
      stream.consume((chunk) => {
        watch(chunk);
        return onChunk(chunk);
      }),
    write: (data) => stream.write(data),
    writeAll: (data) => stream.writeAll(data),
    close: () => stream.close(),
    abort: () => stream.abort(),
  };
}

/** `providers` whose connections (made and accepted) report the wire errors of what they receive. */
export function tapStreams<P extends Providers>(providers: P, onWireError: (kind: WireErrorKind) => void): P {
  return wrapStreams(providers, (stream) => tapped(stream, onWireError));
}

/** `providers` whose connections never complete a write: as if the other side had stopped reading. */
export function stallWrites<P extends Providers>(providers: P): P {
  const never = new Promise<never>(() => undefined);
  return wrapStreams(providers, (stream) => ({
    localAddr: stream.localAddr,
    peerAddr: stream.peerAddr,
    read: (maxBytes) => stream.read(maxBytes),
    consume: (onChunk) => stream.consume(onChunk),
    write: () => never,
    writeAll: () => never,
    close: () => stream.close(),
    abort: () => stream.abort(),
  }));
}

function wrapStreams<P extends Providers>(providers: P, wrap: (stream: Stream) => Stream): P {
  const inner = providers.network;
  const network: NetworkProvider = {
    connect: async (addr) => wrap(await inner.connect(addr)),
    bind: async (addr) => {
      const listener = await inner.bind(addr);
      const wrapped: Listener = {
        localAddr: () => listener.localAddr(),
        accept: async () => {
          const [stream, peer] = await listener.accept();
          return [wrap(stream), peer];
        },
        close: () => listener.close(),
      };
      return wrapped;
    },
  };
  return { ...providers, network };
}
