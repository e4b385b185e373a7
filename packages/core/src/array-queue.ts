/** Past this many taken slots at the front, the live items move down (amortised: half is dead). */
const COMPACT_AFTER = 1024;

/**
 * First in, first out, over one array that keeps its storage as it empties and fills again. (An
 * array emptied by `shift` or `length = 0` drops its storage, and the next `push` allocates anew:
 * for a queue that holds one item at a time, that is an allocation per item.) Taken slots are
 * cleared, so the queue does not keep what it handed out alive.
 */
export class ArrayQueue<T> {
  private readonly items: (T | undefined)[] = [];
  private head = 0;
  private tail = 0;

  get size(): number {
    return this.tail - this.head;
  }

  push(item: T): void {
    this.items[this.tail++] = item;
  }

  /** The oldest item, left in; undefined when empty. */
  peek(): T | undefined {
    return this.head === this.tail ? undefined : this.items[this.head];
  }

  /** The oldest item, taken out; undefined when empty. */
  shift(): T | undefined {
    if (this.head === this.tail) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    } else if (this.head >= COMPACT_AFTER && 2 * this.head >= this.tail) {
      this.items.copyWithin(0, this.head, this.tail);
      this.items.fill(undefined, this.tail - this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    return item;
  }

  /** Takes every item out, oldest first. */
  drain(): T[] {
    const items = this.items.slice(this.head, this.tail) as T[];
    this.items.fill(undefined, this.head, this.tail);
    this.head = 0;
    this.tail = 0;
    return items;
  }
}
