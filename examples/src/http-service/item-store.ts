import { buggify, type RandomProvider, type TimeProvider } from 'moonpool';

/** The backend refused an operation (a transient outage); nothing was changed. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export interface ItemStoreOptions {
  /**
   * The seeded bug of `http-service-buggy`: a put is acknowledged at once and applied when the
   * backend gets to it (write-behind), so a read after the acknowledgement can miss it.
   */
  readonly acknowledgeBeforeApply?: boolean;
}

/**
 * The service's data: a map in process memory, so a reboot loses it. Every operation first passes
 * the backend, which in some iterations stalls (`store.slow`: 0.1–3 s, often beyond a client's
 * timeout, so the write may land after the client gave up) or refuses (`store.error`: the service
 * answers 503). The refusal is decided before anything changes.
 */
export class ItemStore {
  private readonly items = new Map<string, string>();

  constructor(
    private readonly time: TimeProvider,
    private readonly random: RandomProvider,
    private readonly options: ItemStoreOptions = {},
  ) {}

  get size(): number {
    return this.items.size;
  }

  async get(id: string): Promise<string | undefined> {
    await this.backend();
    return this.items.get(id);
  }

  async put(id: string, value: string): Promise<void> {
    const applied = this.backend().then(() => {
      this.items.set(id, value);
    });
    if (!this.options.acknowledgeBeforeApply) return applied;
    applied.catch(() => {}); // the refusal is lost along with the write
  }

  /** True if the item existed. */
  async delete(id: string): Promise<boolean> {
    await this.backend();
    return this.items.delete(id);
  }

  private async backend(): Promise<void> {
    if (buggify('store.slow')) await this.time.sleep(this.random.randomRange(100, 3000));
    if (buggify('store.error')) throw new StoreUnavailableError('store unavailable');
  }
}
