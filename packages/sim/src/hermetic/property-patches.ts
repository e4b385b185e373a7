/**
 * Replaces properties of built-in objects and puts back exactly what was there: the same descriptor,
 * or no own property at all when the value came from the prototype.
 */
export class PropertyPatches {
  private readonly saved: Array<{ target: object; key: PropertyKey; before: PropertyDescriptor | undefined }> = [];

  /** Sets `target[key]` to `value` as a writable, configurable own property. */
  set(target: object, key: PropertyKey, value: unknown): void {
    const before = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, {
      value,
      writable: true,
      configurable: true,
      enumerable: before?.enumerable ?? false,
    });
    this.saved.push({ target, key, before });
  }

  /** Undoes every `set`, last first. */
  restore(): void {
    for (let i = this.saved.length - 1; i >= 0; i--) {
      const { target, key, before } = this.saved[i] as (typeof this.saved)[number];
      if (before === undefined) Reflect.deleteProperty(target, key);
      else Object.defineProperty(target, key, before);
    }
    this.saved.length = 0;
  }
}
