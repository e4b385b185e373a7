// Providers whose streams are watched: every byte a machine receives is also parsed by a shadow
// PacketReader, so a test learns which wire errors (checksum mismatches...) corrupted streams hit.
import type { Listener, NetworkProvider, Providers, Stream } from '@moonpool/core';
import { PacketReader, WireError, type WireErrorKind } from '../../src/index.js';

function tapped(stream: Stream, onWireError: (kind: WireErrorKind) => void): Stream {
  const shadow = new PacketReader();
  let broken = false;
  return {
    localAddr: stream.localAddr,
    peerAddr: stream.peerAddr,
    read: async (maxBytes) => {
      const chunk = await stream.read(maxBytes);
      if (chunk !== null && !broken) {
        try {
          shadow.push(chunk);
          while (shadow.next() !== null);
        } catch (err) {
          broken = true;
          if (err instanceof WireError) onWireError(err.kind);
        }
      }
      return chunk;
    },
    write: (data) => stream.write(data),
    writeAll: (data) => stream.writeAll(data),
    close: () => stream.close(),
    abort: () => stream.abort(),
  };
}

/** `providers` whose connections (made and accepted) report the wire errors of what they receive. */
export function tapStreams<P extends Providers>(providers: P, onWireError: (kind: WireErrorKind) => void): P {
  const inner = providers.network;
  const network: NetworkProvider = {
    connect: async (addr) => tapped(await inner.connect(addr), onWireError),
    bind: async (addr) => {
      const listener = await inner.bind(addr);
      const wrapped: Listener = {
        localAddr: () => listener.localAddr(),
        accept: async () => {
          const [stream, peer] = await listener.accept();
          return [tapped(stream, onWireError), peer];
        },
        close: () => listener.close(),
      };
      return wrapped;
    },
  };
  return { ...providers, network };
}
