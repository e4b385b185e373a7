import { type ExplorationStatus, thousands } from '@moonpool/sim';

/** Redraws at most this often: a terminal cannot show more, and drawing costs the run. */
const REDRAW_MS = 100;
/** Carriage return, then erase the line (ANSI EL2): the status line is rewritten in place. */
const ERASE_LINE = '\r\u001b[2K';

/** A live status line on a terminal for a long exploration, erased when the simulation ends. */
export class ProgressLine {
  private drawnAt = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly name: string,
  ) {}

  update(status: ExplorationStatus): void {
    if (status.elapsedMs - this.drawnAt < REDRAW_MS) return;
    this.drawnAt = status.elapsedMs;
    this.write(`${ERASE_LINE}${formatStatus(this.name, status)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.write(ERASE_LINE);
    this.shown = false;
  }
}

/** `maze-explore: seed 1/2 | 1,240 timelines (2,480/s) | energy left 18,760 | bugs 3 | coverage 41 bits` */
export function formatStatus(name: string, s: ExplorationStatus): string {
  const perSecond = s.elapsedMs > 0 ? Math.round((s.timelines * 1000) / s.elapsedMs) : 0;
  const seed = s.seedsTotal === null ? `seed ${s.seedsStarted}` : `seed ${s.seedsStarted}/${s.seedsTotal}`;
  return (
    `${name}: ${seed} | ${thousands(s.timelines)} timelines (${thousands(perSecond)}/s)` +
    ` | energy left ${thousands(s.energyRemaining)} | bugs ${s.bugs} | coverage ${s.coverageBits} bits`
  );
}
