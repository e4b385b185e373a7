import type { Endpoint } from '@moonpool/core';
import { modelKey, type QueueEntry, type QueueModel } from './queue-model.js';

/**
 * One request out, as recorded in a `QueueModel` (FoundationDB's ModelHolder): made when the request
 * is sent, it adds one to its server's count; `complete()` (the reply came) or `release()` (any other
 * end) takes it off again, exactly once whatever is called after. Release it on every path:
 * `using held = new ModelHolder(model, endpoint)` does, and so does a `finally`. A holder left
 * unreleased makes its server look busy for ever (JavaScript has no destructor to catch it).
 */
export class ModelHolder implements Disposable {
  private entry: QueueEntry | null;
  /** `time.now()` when the request was recorded. */
  readonly startedAt: number;

  constructor(
    private readonly model: QueueModel,
    endpoint: Endpoint,
  ) {
    const now = model.time.now();
    this.startedAt = now;
    this.entry = model.entryFor(modelKey(endpoint));
    this.entry.outstanding.addDelta(1, now);
  }

  /** Whether it still counts as out. */
  get held(): boolean {
    return this.entry !== null;
  }

  /** The request succeeded: records its latency, then releases it. Nothing if already released. */
  complete(): void {
    const entry = this.entry;
    if (entry === null) return;
    this.entry = null;
    const now = this.model.time.now();
    entry.latency = now - this.startedAt;
    entry.outstanding.addDelta(-1, now);
  }

  /** The request ended without a reply (failed, given up, aborted): releases it. Idempotent. */
  release(): void {
    const entry = this.entry;
    if (entry === null) return;
    this.entry = null;
    entry.outstanding.addDelta(-1, this.model.time.now());
  }

  /** Releases it (as `release()`), for `using`. */
  [Symbol.dispose](): void {
    this.release();
  }
}
