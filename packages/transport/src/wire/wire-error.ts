/** Why bytes could not be read (or written) as a packet. */
export type WireErrorKind = 'InsufficientData' | 'ChecksumMismatch' | 'PacketTooLarge' | 'InvalidLength';

/** Numbers that come with some kinds of `WireError`. */
export interface WireErrorDetails {
  /** ChecksumMismatch: the checksum the header carries. */
  readonly expected?: number;
  /** ChecksumMismatch: the checksum computed over the received token and payload. */
  readonly actual?: number;
  /** InsufficientData: how many more bytes are needed before the parse can go further. */
  readonly needed?: number;
  /** PacketTooLarge: the payload size announced by the header (or given to `encodePacket`). */
  readonly payloadSize?: number;
  /** InvalidLength: the length field as read. */
  readonly length?: number;
}

/**
 * A packet that cannot be parsed, or a payload too large to send. On a connection any kind but
 * `InsufficientData` means the stream is corrupt: the connection must be dropped.
 */
export class WireError extends Error {
  /** Always `'WireError'`. */
  override readonly name = 'WireError';
  /** Why the bytes could not be read or written as a packet. */
  readonly kind: WireErrorKind;
  /** ChecksumMismatch: the checksum the header carries; undefined for the other kinds. */
  readonly expected: number | undefined;
  /** ChecksumMismatch: the checksum of the token and payload as received; undefined for the other kinds. */
  readonly actual: number | undefined;
  /** InsufficientData: how many more bytes the parse needs; undefined for the other kinds. */
  readonly needed: number | undefined;
  /** PacketTooLarge: the payload size in bytes that exceeds the maximum; undefined for the other kinds. */
  readonly payloadSize: number | undefined;
  /** InvalidLength: the packet length field as read, in bytes; undefined for the other kinds. */
  readonly length: number | undefined;

  constructor(kind: WireErrorKind, message: string, details: WireErrorDetails = {}) {
    super(message);
    this.kind = kind;
    this.expected = details.expected;
    this.actual = details.actual;
    this.needed = details.needed;
    this.payloadSize = details.payloadSize;
    this.length = details.length;
  }

  /** An `InsufficientData` error: `available` bytes are there, the header or packet needs `wanted`. */
  static insufficientData(available: number, wanted: number, what: 'header' | 'packet'): WireError {
    const needed = wanted - available;
    return new WireError(
      'InsufficientData',
      `insufficient data: ${available} bytes available, the ${what} needs ${wanted} (${needed} more)`,
      { needed },
    );
  }

  /** A `ChecksumMismatch` error: the header says `expected`, the token and payload give `actual`. */
  static checksumMismatch(expected: number, actual: number): WireError {
    return new WireError(
      'ChecksumMismatch',
      `checksum mismatch: the header says ${hex(expected)}, the token and payload give ${hex(actual)}`,
      { expected, actual },
    );
  }

  /** A `PacketTooLarge` error: a payload of `payloadSize` bytes is over `maximum` bytes. */
  static packetTooLarge(payloadSize: number, maximum: number): WireError {
    return new WireError(
      'PacketTooLarge',
      `packet too large: a payload of ${payloadSize} bytes exceeds the maximum of ${maximum}`,
      { payloadSize },
    );
  }

  /** An `InvalidLength` error: a length field of `length` bytes is under the `headerSize`-byte header. */
  static invalidLength(length: number, headerSize: number): WireError {
    return new WireError(
      'InvalidLength',
      `invalid packet length ${length}: a packet is at least its ${headerSize}-byte header`,
      { length },
    );
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(8, '0')}`;
}
