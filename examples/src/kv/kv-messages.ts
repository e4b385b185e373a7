import { FrameError } from './kv-frame.js';

/**
 * The KV protocol's messages (the payload of one frame). Request:
 * `u8 op | u32 requestId | u16 keyLength | key | (SET only) u32 valueLength | value`.
 * Response: `u8 status | u32 requestId | (VALUE only) u32 valueLength | value`. Strings are UTF-8.
 */
export type KvRequest =
  | { readonly op: 'get'; readonly id: number; readonly key: string }
  | { readonly op: 'set'; readonly id: number; readonly key: string; readonly value: string }
  | { readonly op: 'delete'; readonly id: number; readonly key: string };

export type KvResponse =
  /** SET or DELETE applied (and, for a durable server, on disk). */
  | { readonly status: 'ok'; readonly id: number }
  | { readonly status: 'value'; readonly id: number; readonly value: string }
  | { readonly status: 'not-found'; readonly id: number }
  /** The server could not serve the request (a storage error): the client retries. */
  | { readonly status: 'error'; readonly id: number };

const OPS = ['get', 'set', 'delete'] as const;
const STATUSES = ['ok', 'value', 'not-found', 'error'] as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Appends big-endian integers and length-prefixed strings. */
class Writer {
  private readonly parts: number[] = [];

  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  string(s: string, lengthBytes: 2 | 4): this {
    const bytes = encoder.encode(s);
    if (lengthBytes === 2) this.u16(bytes.length);
    else this.u32(bytes.length);
    for (const b of bytes) this.parts.push(b);
    return this;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Reads what `Writer` wrote; any overrun or leftover is a malformed message. */
class Reader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private need(n: number): void {
    if (this.offset + n > this.data.length) throw new FrameError('message shorter than its fields');
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }
  string(lengthBytes: 2 | 4): string {
    this.need(lengthBytes);
    const n = lengthBytes === 2 ? this.view.getUint16(this.offset) : this.view.getUint32(this.offset);
    this.offset += lengthBytes;
    this.need(n);
    const bytes = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    try {
      return decoder.decode(bytes);
    } catch {
      throw new FrameError('invalid UTF-8');
    }
  }
  end(): void {
    if (this.offset !== this.data.length) throw new FrameError('trailing bytes after message');
  }
}

export function encodeRequest(req: KvRequest): Uint8Array {
  const w = new Writer().u8(OPS.indexOf(req.op)).u32(req.id).string(req.key, 2);
  if (req.op === 'set') w.string(req.value, 4);
  return w.bytes();
}

export function decodeRequest(payload: Uint8Array): KvRequest {
  const r = new Reader(payload);
  const op = OPS[r.u8()];
  const id = r.u32();
  const key = r.string(2);
  let req: KvRequest;
  if (op === 'set') req = { op, id, key, value: r.string(4) };
  else if (op === 'get' || op === 'delete') req = { op, id, key };
  else throw new FrameError('unknown operation');
  r.end();
  return req;
}

export function encodeResponse(res: KvResponse): Uint8Array {
  const w = new Writer().u8(STATUSES.indexOf(res.status)).u32(res.id);
  if (res.status === 'value') w.string(res.value, 4);
  return w.bytes();
}

export function decodeResponse(payload: Uint8Array): KvResponse {
  const r = new Reader(payload);
  const status = STATUSES[r.u8()];
  const id = r.u32();
  let res: KvResponse;
  if (status === 'value') res = { status, id, value: r.string(4) };
  else if (status !== undefined) res = { status, id };
  else throw new FrameError('unknown status');
  r.end();
  return res;
}
