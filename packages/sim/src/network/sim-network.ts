import { allocateBytes, IoError, NetworkAddress } from '@moonpool/core';
import { sampleDuration } from '../config/duration-range.js';
import type { NetworkConfiguration } from '../config/network-configuration.js';
import { EventKind } from '../kernel/event-kind.js';
import type { Machine } from '../kernel/machine.js';
import { never } from '../kernel/tasks.js';
import { msToTicks, ticksToMs } from '../kernel/ticks.js';
import type { SimWorld } from '../kernel/world.js';
import { Pipe, SimConnection, SimStream } from './connection.js';
import { LatencySampler } from './latency.js';
import type { NetworkFaultEvent } from '../chaos/fault-events.js';
import { type HealedRule, PartitionTable } from './partitions.js';
import { SimListener } from './sim-listener.js';

/** How long a connect keeps retrying its SYN across a partition before `ETIMEDOUT` (like Linux). */
const SYN_RETRY_MS = 1000;
const SYN_TIMEOUT_MS = 127_000;
const FIRST_EPHEMERAL_PORT = 49152;

export interface SimNetworkHooks {
  /** Appends to the `sim:faults` timeline. */
  onFault(event: NetworkFaultEvent): void;
  /** FoundationDB-style buggify decision for a site (the simulation's shared state). */
  buggify(site: string): boolean;
}

/**
 * The simulated network of one iteration: listeners, connections, latencies, partitions and every
 * network fault of the chaos configuration. Connection-level TCP: no packets, MTU or congestion.
 */
export class SimNetwork {
  private readonly listeners = new Map<string, SimListener>();
  private readonly connections = new Set<SimConnection>();
  private readonly nextPort = new Map<string, number>();
  private readonly partitions = new PartitionTable();
  private readonly stalled = new Set<Pipe>();
  private readonly latency: LatencySampler;
  private connectionIds = 0;
  private lastRandomClose = Number.NEGATIVE_INFINITY;
  private lastBitFlip = Number.NEGATIVE_INFINITY;
  private autoPartitionUntil = 0;
  /** Injected faults happen only while chaos is on (the chaos phase, or always without one). */
  chaosActive = true;
  /** Every machine IP, for automatic partitions. */
  ips: readonly string[] = [];

  constructor(
    private readonly world: SimWorld,
    readonly config: NetworkConfiguration,
    private readonly hooks: SimNetworkHooks,
  ) {
    this.latency = new LatencySampler(world.rng, config.chaos);
  }

  // --- listeners and connections ---------------------------------------------------------------

  bind(machine: Machine, addr: string): Promise<SimListener> {
    if (!machine.alive) return never();
    let parsed: NetworkAddress;
    try {
      parsed = NetworkAddress.parse(addr);
    } catch (err) {
      return Promise.reject(err);
    }
    const any = parsed.ip === '0.0.0.0' || parsed.ip === '::';
    if (!any && parsed.ip !== machine.ip) {
      return Promise.reject(new IoError('EADDRNOTAVAIL', `${machine.ip} cannot bind ${addr}`));
    }
    const port = parsed.port === 0 ? this.ephemeralPort(machine.ip) : parsed.port;
    const key = `${machine.ip}:${port}`;
    const existing = this.listeners.get(key);
    if (existing && existing.open) return Promise.reject(new IoError('EADDRINUSE', `${key} is in use`));
    const listener = new SimListener(this, machine, key);
    this.listeners.set(key, listener);
    return new Promise((resolve) => {
      this.world.schedule(this.latency.sample(this.config.bindLatency), EventKind.NetworkBind, machine, () =>
        resolve(listener),
      );
    });
  }

  /** Frees a listener's address. */
  unbind(listener: SimListener): void {
    if (this.listeners.get(listener.addr) === listener) this.listeners.delete(listener.addr);
  }

  connect(machine: Machine, addr: string): Promise<SimStream> {
    if (!machine.alive) return never();
    let target: NetworkAddress;
    try {
      target = NetworkAddress.parse(addr);
    } catch (err) {
      return Promise.reject(err);
    }
    const c = this.config.chaos;
    const rng = this.world.rng;
    let delay = this.latency.sample(this.config.connectLatency);
    if (c.handshakeDelayEnabled) delay += Math.floor(rng.random() * msToTicks(c.handshakeDelayMaxMs));
    this.maybeAutoPartition();
    if (this.chaosActive && c.connectFailureMode !== 'Disabled' && this.hooks.buggify('network.connect_failure')) {
      const refuse = c.connectFailureMode === 'AlwaysFail' || rng.random() < c.connectFailureProbability;
      if (!refuse) return never(); // the SYN vanishes: only the caller's timeout ends this
      return this.after(machine, delay, EventKind.NetworkConnect, () => {
        throw new IoError('ECONNREFUSED', `connection to ${addr} refused (injected)`);
      });
    }
    const startedAt = this.world.now;
    return new Promise<SimStream>((resolve, reject) => {
      const attempt = (): void => {
        const key = `${target.ip}:${target.port}`;
        if (this.partitions.blocked(machine.ip, target.ip, this.world.now) ||
            this.partitions.blocked(target.ip, machine.ip, this.world.now)) {
          if (this.world.now - startedAt >= msToTicks(SYN_TIMEOUT_MS)) {
            reject(new IoError('ETIMEDOUT', `connect to ${addr} timed out (partitioned)`));
            return;
          }
          this.world.schedule(msToTicks(SYN_RETRY_MS), EventKind.NetworkConnect, machine, attempt);
          return;
        }
        const listener = this.listeners.get(key);
        if (listener === undefined || !listener.open || !listener.machine.alive) {
          reject(new IoError('ECONNREFUSED', `connection to ${addr} refused`));
          return;
        }
        const [client, server] = this.open(machine, listener.machine, key);
        resolve(client);
        this.world.schedule(
          this.latency.sample(this.config.acceptLatency),
          EventKind.NetworkAccept,
          listener.machine,
          () => listener.enqueue(server),
        );
      };
      this.world.schedule(delay, EventKind.NetworkConnect, machine, attempt);
    });
  }

  private open(clientMachine: Machine, serverMachine: Machine, serverAddr: string): [SimStream, SimStream] {
    const conn = new SimConnection(this.connectionIds++);
    const clientAddr = `${clientMachine.ip}:${this.ephemeralPort(clientMachine.ip)}`;
    const client = new SimStream(this, conn, clientMachine, clientAddr, serverAddr);
    const server = new SimStream(this, conn, serverMachine, serverAddr, clientAddr);
    client.out = this.pipe(conn, client, server);
    server.out = this.pipe(conn, server, client);
    conn.a = client;
    conn.b = server;
    this.connections.add(conn);
    return [client, server];
  }

  private pipe(conn: SimConnection, from: SimStream, to: SimStream): Pipe {
    const pipe = new Pipe(conn, from, to);
    pipe.onDue = () => this.deliver(pipe);
    return pipe;
  }

  private ephemeralPort(ip: string): number {
    const port = this.nextPort.get(ip) ?? FIRST_EPHEMERAL_PORT;
    this.nextPort.set(ip, port >= 65535 ? FIRST_EPHEMERAL_PORT : port + 1);
    return port;
  }

  /** A wait owned by `machine` that runs `fn` after `delay` ticks and settles with its result. */
  private after<T>(machine: Machine, delay: number, kind: number, fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.world.schedule(delay, kind, machine, () => {
        try {
          resolve(fn());
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  // --- data ------------------------------------------------------------------------------------

  /** Queues a prefix of `data` for delivery and resolves with its length (a short write is chaos). */
  send(stream: SimStream, data: Uint8Array): Promise<number> {
    const n = this.sendNow(stream, data);
    return n >= 0 ? Promise.resolve(n) : this.clogWait(stream).then(() => stream.write(data));
  }

  /** Waits until the clog on `stream`'s outgoing direction clears (backpressure). */
  clogWait(stream: SimStream): Promise<null> {
    const wait = stream.out.clogUntil - this.world.now;
    return this.after(stream.machine, Math.max(0, wait), EventKind.ClogClear, () => null);
  }

  /**
   * Queues a prefix of `data` without waiting and returns its length (shorter under partial-write
   * chaos), or -1 when the direction is clogged and the writer must wait.
   */
  sendNow(stream: SimStream, data: Uint8Array): number {
    const conn = stream.conn;
    if (conn.blackHole) return data.length;
    const pipe = stream.out;
    const now = this.world.now;
    if (pipe.clogUntil > now) return -1;
    const c = this.config.chaos;
    const chaos = this.chaosActive && !conn.stable;
    const rng = this.world.rng;
    if (chaos) {
      this.maybeAutoPartition();
      if (c.clogProbability > 0 && rng.random() < c.clogProbability) {
        pipe.clogUntil = now + msToTicks(sampleDuration(c.clogDuration, rng));
        // Not an entry of the fault log (a clog is backpressure, not a fault), but worth seeing in a trace.
        const tracer = this.world.tracer;
        if (tracer !== null) {
          const untilMs = ticksToMs(pipe.clogUntil);
          const clog = { type: 'Clog', from: stream.ip, to: pipe.to.ip, connection: conn.id, untilMs };
          tracer.fault(clog);
        }
      }
    }
    let n = data.length;
    if (n === 0) return 0;
    if (chaos && c.partialWriteMaxBytes > 0 && this.hooks.buggify('network.partial_write')) {
      n = rng.range(0, Math.min(n, c.partialWriteMaxBytes) + 1);
      if (n === 0) return 0;
    }
    // A copy: the writer may reuse its buffer. From a slab: an array of its own costs a microsecond.
    const copy = allocateBytes(n);
    copy.set(n === data.length ? data : data.subarray(0, n));
    this.enqueue(pipe, copy);
    return n;
  }

  /** Queues our FIN behind the data already in flight. */
  sendFin(stream: SimStream): void {
    if (stream.conn.blackHole) return;
    this.enqueue(stream.out, null);
  }

  private enqueue(pipe: Pipe, data: Uint8Array | null): void {
    const delay = this.latency.sample(this.config.writeLatency) + this.latency.sample(this.config.readLatency);
    const readyAt = Math.max(pipe.lastReadyAt, this.world.now + delay);
    pipe.lastReadyAt = readyAt;
    const chunk = { data, readyAt };
    pipe.chunks.push(chunk);
    const tracer = this.world.tracer;
    if (tracer !== null) {
      tracer.messageSent(chunk, pipe.from.machine, pipe.to.machine, data === null ? -1 : data.length, pipe.conn.id);
    }
    this.scheduleDelivery(pipe);
  }

  private scheduleDelivery(pipe: Pipe): void {
    const head = pipe.chunks.peek();
    if (pipe.scheduled !== null || pipe.stalled || head === undefined) return;
    const at = Math.max(head.readyAt, pipe.clogUntil, this.world.now);
    // Owned by no machine: the receiver may stop meanwhile, and then the sender must learn (RST).
    pipe.scheduled = this.world.schedule(
      at - this.world.now,
      EventKind.NetworkDelivery,
      null,
      pipe.onDue,
      pipe.to.ip,
      true,
    );
  }

  /** Moves every chunk that has arrived into the receiver's buffer; false if no reader woke. */
  private deliver(pipe: Pipe): boolean {
    pipe.scheduled = null;
    const conn = pipe.conn;
    const now = this.world.now;
    if (conn.blackHole) return false;
    if (!pipe.to.live) {
      this.reset(pipe.to, new IoError('ECONNRESET', 'machine stopped'));
      return false;
    }
    if (!conn.stable && (conn.cutUntil > now || this.partitions.blocked(pipe.from.ip, pipe.to.ip, now))) {
      pipe.stalled = true;
      this.stalled.add(pipe);
      return false;
    }
    if (pipe.clogUntil > now) {
      this.scheduleDelivery(pipe);
      return false;
    }
    // The event belongs to no machine, but the code it wakes is the receiver's.
    this.world.current = pipe.to.machine;
    let woke = false;
    const chunks = pipe.chunks;
    const tracer = this.world.tracer;
    for (let chunk = chunks.peek(); chunk !== undefined && chunk.readyAt <= now; chunk = chunks.peek()) {
      chunks.shift();
      if (tracer !== null) tracer.messageDelivered(chunk);
      const data = chunk.data;
      if (data === null) woke = pipe.to.deliverFin() || woke;
      else woke = this.handOver(pipe, this.maybeFlipBits(pipe, data)) || woke;
    }
    this.scheduleDelivery(pipe);
    return woke;
  }

  /** Gives a chunk to the receiving end; its bytes enter the trace hash (payloads are behaviour too). */
  private handOver(pipe: Pipe, data: Uint8Array): boolean {
    this.world.trace.addBytes(data);
    return pipe.to.deliverData(data);
  }

  private maybeFlipBits(pipe: Pipe, data: Uint8Array): Uint8Array {
    const c = this.config.chaos;
    if (!this.chaosActive || pipe.conn.stable || c.bitFlipProbability === 0 || data.length === 0) return data;
    const rng = this.world.rng;
    if (rng.random() >= c.bitFlipProbability) return data;
    const now = this.world.now;
    if (now < this.lastBitFlip + msToTicks(c.bitFlipCooldownMs)) return data;
    this.lastBitFlip = now;
    // Power law between min and max bits: uniform in log space, so few bits are the common case.
    const lo = c.bitFlipMinBits;
    const hi = c.bitFlipMaxBits;
    const drawn = Math.min(hi, Math.floor(lo * ((hi + 1) / lo) ** rng.random()));
    const bits = Math.min(drawn, data.length * 8);
    const flipped = new Set<number>();
    while (flipped.size < bits) {
      const bit = rng.range(0, data.length * 8);
      if (flipped.has(bit)) continue;
      flipped.add(bit);
      data[bit >> 3] = (data[bit >> 3] as number) ^ (1 << (bit & 7));
    }
    this.hooks.onFault({ type: 'BitFlip', connection: pipe.conn.id, to: pipe.to.ip, bits });
    return data;
  }

  /** Resets the connection from `stream`'s side: the peer learns after one latency. */
  reset(stream: SimStream, err: IoError): void {
    const conn = stream.conn;
    stream.fail(err);
    this.drop(conn);
    const peer = stream === conn.a ? conn.b : conn.a;
    if (peer.error || conn.blackHole) return;
    this.world.schedule(
      this.latency.sample(this.config.writeLatency),
      EventKind.NetworkReset,
      peer.machine,
      () => peer.fail(new IoError('ECONNRESET', 'connection reset by peer')),
      peer.ip,
      true,
    );
  }

  /** Discards in-flight data of both directions and forgets the connection. */
  private drop(conn: SimConnection): void {
    const tracer = this.world.tracer;
    for (const pipe of conn.pipes()) {
      const lost = pipe.chunks.drain();
      if (tracer !== null) for (const chunk of lost) tracer.messageLost(chunk);
      if (pipe.scheduled) this.world.cancel(pipe.scheduled);
      pipe.scheduled = null;
      pipe.stalled = false;
      this.stalled.delete(pipe);
    }
    this.connections.delete(conn);
  }

  /** Random close chaos, drawn on every read and write: an error for the caller if explicit. */
  randomCloseOnIo(stream: SimStream): IoError | null {
    const c = this.config.chaos;
    const conn = stream.conn;
    if (!this.chaosActive || conn.stable || c.randomCloseProbability === 0 || conn.blackHole) return null;
    const rng = this.world.rng;
    if (rng.random() >= c.randomCloseProbability) return null;
    const now = this.world.now;
    if (now < this.lastRandomClose + msToTicks(c.randomCloseCooldownMs)) return null;
    this.lastRandomClose = now;
    const explicit = rng.random() < c.randomCloseExplicitRatio;
    this.hooks.onFault({ type: 'RandomClose', connection: conn.id, ip: stream.ip, explicit });
    if (!explicit) {
      this.blackHole(conn);
      return null;
    }
    const err = new IoError('ECONNRESET', 'connection closed (injected random close)');
    this.reset(stream, err);
    return err;
  }

  /** The connection silently stops working: nothing more is delivered, nobody is told. */
  private blackHole(conn: SimConnection): void {
    this.drop(conn);
    conn.blackHole = true;
  }

  // --- machines ---------------------------------------------------------------------------------

  /**
   * A machine stopped: its listeners close; its connections are reset (crash) or, after a graceful
   * shutdown, closed behind the data already written (send buffers drain).
   */
  machineStopped(ip: string, graceful: boolean): void {
    for (const [key, listener] of this.listeners) {
      if (listener.machine.ip === ip) {
        listener.shutdown();
        this.listeners.delete(key);
      }
    }
    for (const conn of [...this.connections]) {
      for (const end of [conn.a, conn.b]) {
        if (end.ip !== ip || end.error) continue;
        if (!graceful) this.reset(end, new IoError('ECONNRESET', 'machine crashed'));
        else if (!end.writeClosed) {
          end.writeClosed = true;
          this.sendFin(end);
        }
      }
    }
  }

  /**
   * Half-open connections: the machine at `ip` vanishes from its connections without a reset; its
   * peers keep writing into the void and learn of it only after `errorAfterMs`.
   */
  simulatePeerCrash(ip: string, errorAfterMs = 3000): void {
    this.hooks.onFault({ type: 'PeerCrash', ip });
    for (const conn of [...this.connections]) {
      const crashed = conn.a.ip === ip ? conn.a : conn.b.ip === ip ? conn.b : null;
      if (crashed === null) continue;
      const peer = crashed === conn.a ? conn.b : conn.a;
      this.blackHole(conn);
      this.world.schedule(msToTicks(errorAfterMs), EventKind.HalfOpenError, peer.machine, () => {
        this.hooks.onFault({ type: 'HalfOpenError', connection: conn.id, ip: peer.ip });
        return peer.fail(new IoError('ECONNRESET', 'connection timed out (peer vanished)'));
      });
    }
  }

  // --- partitions and cuts ----------------------------------------------------------------------

  /** Cuts `a` and `b` from each other (both directions), for `ms` or until healed. */
  partitionPair(a: string, b: string, ms?: number): void {
    const until = this.until(ms);
    this.partitions.cutPair(a, b, until);
    this.hooks.onFault({ type: 'PartitionCreated', from: a, to: b, untilMs: this.untilMs(until) });
    this.scheduleHeal(until);
  }

  /** Nothing `ip` sends arrives anywhere, for `ms` or until healed. */
  partitionSendFrom(ip: string, ms?: number): void {
    const until = this.until(ms);
    this.partitions.cutSendFrom(ip, until);
    this.hooks.onFault({ type: 'SendPartitionCreated', ip, untilMs: this.untilMs(until) });
    this.scheduleHeal(until);
  }

  /** Nothing sent to `ip` arrives, for `ms` or until healed. */
  partitionRecvTo(ip: string, ms?: number): void {
    const until = this.until(ms);
    this.partitions.cutRecvTo(ip, until);
    this.hooks.onFault({ type: 'RecvPartitionCreated', ip, untilMs: this.untilMs(until) });
    this.scheduleHeal(until);
  }

  isPartitioned(from: string, to: string): boolean {
    return this.partitions.blocked(from, to, this.world.now);
  }

  /** Heals every partition and cut at once; stalled data flows again. */
  healAll(): void {
    this.reportHealed(this.partitions.clear());
    for (const conn of this.connections) conn.cutUntil = 0;
    this.releaseStalled();
  }

  /** Cuts one connection for `ms`: its data waits, then flows again. */
  cutConnection(stream: SimStream, ms: number): void {
    this.cutAt(stream.conn, this.world.now + msToTicks(ms));
  }

  /**
   * Cuts several connections at once and restores them one by one in reverse order of cutting
   * ("swizzling"), which finds more bugs than restoring in order. Restores are spread over `ms`.
   */
  swizzle(streams: readonly SimStream[], ms: number): void {
    const n = streams.length;
    streams.forEach((stream, i) => {
      const restoreAt = this.world.now + msToTicks(ms) + Math.floor((msToTicks(ms) * (n - 1 - i)) / Math.max(1, n));
      this.cutAt(stream.conn, restoreAt);
    });
  }

  /**
   * FoundationDB's swizzle at the machine level: every machine in `ips` is cut off from the network
   * now, and they come back one by one in reverse order, the last over `ms` after the first.
   */
  swizzleMachines(ips: readonly string[], ms: number): void {
    const n = ips.length;
    ips.forEach((ip, i) => {
      const healMs = ms + (ms * (n - 1 - i)) / Math.max(1, n);
      this.partitionSendFrom(ip, healMs);
      this.partitionRecvTo(ip, healMs);
    });
  }

  private cutAt(conn: SimConnection, until: number): void {
    conn.cutUntil = Math.max(conn.cutUntil, until);
    this.hooks.onFault({ type: 'ConnectionCut', connection: conn.id, untilMs: ticksToMs(until) });
    this.world.schedule(until - this.world.now, EventKind.CutRestore, null, () => {
      if (conn.cutUntil > this.world.now) return false;
      conn.cutUntil = 0;
      this.hooks.onFault({ type: 'CutRestored', connection: conn.id });
      this.releaseStalled();
      return false;
    }, '', false);
  }

  private until(ms: number | undefined): number {
    return ms === undefined ? Number.POSITIVE_INFINITY : this.world.now + msToTicks(ms);
  }

  private untilMs(until: number): number | null {
    return Number.isFinite(until) ? ticksToMs(until) : null;
  }

  private scheduleHeal(until: number): void {
    if (!Number.isFinite(until)) return;
    this.world.schedule(until - this.world.now, EventKind.PartitionRestore, null, () => {
      this.reportHealed(this.partitions.expire(this.world.now));
      this.releaseStalled();
      return false;
    }, '', false);
  }

  private reportHealed(rules: readonly HealedRule[]): void {
    for (const { from, to } of rules) this.hooks.onFault({ type: 'PartitionHealed', from, to });
  }

  private releaseStalled(): void {
    for (const pipe of [...this.stalled]) {
      this.stalled.delete(pipe);
      pipe.stalled = false;
      this.scheduleDelivery(pipe);
    }
  }

  /** Automatic partitions (chaos): at most one at a time, drawn on connects and writes. */
  private maybeAutoPartition(): void {
    const c = this.config.chaos;
    if (!this.chaosActive || c.partitionProbability === 0 || this.ips.length < 2) return;
    const rng = this.world.rng;
    if (this.world.now < this.autoPartitionUntil || rng.random() >= c.partitionProbability) return;
    const ms = sampleDuration(c.partitionDuration, rng);
    this.autoPartitionUntil = this.world.now + msToTicks(ms);
    const ips = this.ips;
    const pick = (): string => ips[rng.range(0, ips.length)] as string;
    if (c.partitionStrategy === 'Random') {
      const a = pick();
      let b = pick();
      while (b === a) b = pick();
      this.partitionPair(a, b, ms);
      return;
    }
    const size = c.partitionStrategy === 'IsolateSingle' ? 1 : rng.range(1, ips.length);
    const shuffled = [...ips];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.range(0, i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
    }
    const group = shuffled.slice(0, size);
    const rest = shuffled.slice(size);
    for (const a of group) for (const b of rest) this.partitionPair(a, b, ms);
  }

  /** The chaos phase ended: faults stop, partitions and cuts heal, clogs clear. */
  endChaos(): void {
    this.chaosActive = false;
    for (const conn of this.connections) for (const pipe of conn.pipes()) pipe.clogUntil = 0;
    this.healAll();
  }
}
