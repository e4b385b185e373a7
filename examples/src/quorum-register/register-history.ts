import { assertSometimes, assertSometimesGreaterThan } from 'moonpool';
import { compareVersions, formatVersion, INITIAL_VERSION, type Stored, type Version } from './register-service.js';

/**
 * `write` and `read` are the linearizable operations (quorums); `readOne` asks one replica through
 * load balancing and may be stale.
 */
export type OpKind = 'write' | 'read' | 'readOne';

/** One operation of one client, from the moment it began. */
export interface Op {
  readonly id: number;
  readonly kind: OpKind;
  readonly client: string;
  /** The newest version among the operations that had completed when this one began. */
  readonly floor: Completed;
  /** A write: the version it chose (once it did). */
  version: Version | null;
}

interface Completed {
  readonly version: Version;
  /** What completed with it, for messages. */
  readonly what: string;
}

type WriteStatus = 'pending' | 'acknowledged' | 'failed';

interface WriteRecord {
  readonly value: string | null;
  status: WriteStatus;
  /** A read returned it. */
  seen: boolean;
}

const key = (v: Version): string => `${v.counter}\u0000${v.writer}`;

/**
 * The history of the clients' operations on the register, checked as it is written: the register
 * must be linearizable. Versions order the writes (each write has a version of its own), so that
 * comes down to three checks, made when an operation picks its version or completes:
 * 1. every write has a version no other write has (a writer never reuses one);
 * 2. a read returns a pair `(version, value)` that a write began with (or the initial empty value);
 * 3. real-time order is kept: an operation that began after another had completed has a version at
 *    least as new — strictly newer for a write. In particular a read that begins after a write was
 *    acknowledged returns that write's value or a newer one, and a read that begins after another
 *    read returned never goes back to an older value.
 * A write that failed (no quorum acknowledged it) may or may not have taken effect: it completes
 * nothing, but its pair stays a value that reads may return. `readOne` (one replica, load-balanced)
 * is checked for 2 only: it may be stale by design.
 *
 * The first violation is kept in `violation` (and never replaced). Ordering needs no clock: the
 * clients run in one thread (one simulation, or the cluster's one client process), so the order in
 * which they call this object is the real-time order.
 */
export class RegisterHistory {
  private nextId = 1;
  private readonly writes = new Map<string, WriteRecord>([
    [key(INITIAL_VERSION), { value: null, status: 'acknowledged', seen: false }],
  ]);
  private latest: Completed = { version: INITIAL_VERSION, what: 'the initial value' };
  private acknowledged: Version = INITIAL_VERSION;
  /** The first violation seen, or null. */
  violation: string | null = null;
  readonly counts = {
    writesAcknowledged: 0,
    writesFailed: 0,
    reads: 0,
    readsFailed: 0,
    readOnes: 0,
    readOnesFailed: 0,
  };

  /** The newest acknowledged write's version: every replica quorum must hold it or a newer one. */
  get newestAcknowledged(): Version {
    return this.acknowledged;
  }

  begin(kind: OpKind, client: string): Op {
    return { id: this.nextId++, kind, client, floor: this.latest, version: null };
  }

  /** A write chose `version` for `value` (before sending it anywhere). */
  chose(op: Op, version: Version, value: string): void {
    op.version = version;
    const known = this.writes.get(key(version));
    if (known !== undefined) {
      this.fail(`${describe(op)} chose version ${formatVersion(version)}, which another write already had`);
    }
    this.writes.set(key(version), { value, status: 'pending', seen: false });
    if (compareVersions(version, op.floor.version) <= 0) {
      this.fail(
        `${describe(op)} chose version ${formatVersion(version)}, not newer than ${formatVersion(op.floor.version)} ` +
          `of ${op.floor.what}, which had completed before it began`,
      );
    }
  }

  /** A write was acknowledged by a quorum. */
  acknowledge(op: Op): void {
    const version = op.version;
    if (version === null) throw new Error(`${describe(op)} acknowledged before it chose a version`);
    const record = this.writes.get(key(version));
    if (record !== undefined) record.status = 'acknowledged';
    this.counts.writesAcknowledged++;
    if (compareVersions(version, this.acknowledged) > 0) this.acknowledged = version;
    this.completed(version, `${describe(op)} (acknowledged as ${formatVersion(version)})`);
  }

  /** A read returned `stored`. */
  returned(op: Op, stored: Stored): void {
    const { version, value } = stored;
    const written = this.writes.get(key(version));
    if (written === undefined) {
      this.fail(`${describe(op)} returned version ${formatVersion(version)}, which no write ever chose`);
      return;
    }
    if (written.value !== value) {
      this.fail(
        `${describe(op)} returned ${show(value)} as version ${formatVersion(version)}, which was written with ${show(written.value)}`,
      );
      return;
    }
    written.seen = true;
    assertSometimes(written.status === 'failed', 'register: a read returned the value of a write that failed');
    if (op.kind === 'readOne') {
      this.counts.readOnes++;
      assertSometimes(compareVersions(version, this.acknowledged) < 0, 'register: readOne returned a stale value');
      return;
    }
    this.counts.reads++;
    assertSometimes(written.status === 'pending', 'register: a read returned a write still in progress');
    // Legal while writes overlap the read; the watermark leads exploration towards stale reads.
    assertSometimesGreaterThan(
      this.acknowledged.counter - version.counter,
      0,
      'register: a read returned a value older than the newest acknowledged write',
    );
    if (compareVersions(version, op.floor.version) < 0) {
      this.fail(
        `${describe(op)} returned ${formatVersion(version)}, older than ${formatVersion(op.floor.version)} ` +
          `of ${op.floor.what}, which had completed before it began`,
      );
    }
    this.completed(version, `${describe(op)} (returned ${formatVersion(version)})`);
  }

  /** The operation ended without a result; a write's outcome is then unknown. */
  failed(op: Op): void {
    if (op.kind === 'write') {
      this.counts.writesFailed++;
      const record = op.version === null ? undefined : this.writes.get(key(op.version));
      if (record !== undefined) {
        record.status = 'failed';
        // Before or after it failed: a write without its quorum may still have reached some replicas.
        assertSometimes(record.seen, 'register: a read returned the value of a write that failed');
      }
    } else if (op.kind === 'read') this.counts.readsFailed++;
    else this.counts.readOnesFailed++;
  }

  private completed(version: Version, what: string): void {
    if (compareVersions(version, this.latest.version) > 0) this.latest = { version, what };
  }

  private fail(message: string): void {
    this.violation ??= message;
  }
}

function describe(op: Op): string {
  return `${op.kind} #${op.id} by ${op.client}`;
}

function show(value: string | null): string {
  return value === null ? 'the initial value' : `'${value}'`;
}
