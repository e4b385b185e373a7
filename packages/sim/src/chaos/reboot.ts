/** How a process is rebooted: shut down gracefully, crashed, or crashed with its storage wiped. */
export type RebootKind = 'Graceful' | 'Crash' | 'CrashAndWipe';

/** Timings of one reboot; each field left out is drawn from its default range. */
export interface RebootOptions {
  /** Time allowed for a graceful shutdown before the process is force-killed (default 2000–5000 ms). */
  gracePeriodMs?: number;
  /** Delay between the process stopping and its restart (default 1000–10000 ms). */
  recoveryDelayMs?: number;
}

/** Defaults of Moonpool's `Attrition`: drawn per reboot from these half-open ranges (ms). */
export const DEFAULT_GRACE_PERIOD_MS: readonly [number, number] = [2000, 5000];
/** Default delay between a process stopping and its restart: [1000, 10000) ms. */
export const DEFAULT_RECOVERY_DELAY_MS: readonly [number, number] = [1000, 10000];
