import type { CoveragePoint } from '@moonpool/explorer';
import { thousands } from '@moonpool/sim';

const WIDTH = 640;
const HEIGHT = 220;
/** Room for the axis labels. */
const LEFT = 56;
const BOTTOM = 28;
const TOP = 10;
const RIGHT = 12;
/** Horizontal room a seed label needs. */
const MIN_LABEL_GAP = 48;

/**
 * The explored map's bits against child timelines run, as an inline SVG step line (no script, no
 * external file); a dashed line where a new root seed (a warm start) began.
 */
export function coverageChart(points: readonly CoveragePoint[], totalBits: number): string {
  if (points.length === 0) return '<p class="muted">No coverage points were recorded.</p>';
  const maxT = Math.max(1, ...points.map((p) => p.timelines));
  const maxB = Math.max(1, ...points.map((p) => p.bits));
  const x = (t: number): string => (LEFT + ((WIDTH - LEFT - RIGHT) * t) / maxT).toFixed(1);
  const y = (b: number): string => (HEIGHT - BOTTOM - ((HEIGHT - BOTTOM - TOP) * b) / maxB).toFixed(1);
  // A step line: the bits stay put until the batch that set new ones.
  const steps: string[] = [];
  let prev: CoveragePoint | undefined;
  for (const p of points) {
    if (prev !== undefined) steps.push(`${x(p.timelines)},${y(prev.bits)}`);
    steps.push(`${x(p.timelines)},${y(p.bits)}`);
    prev = p;
  }
  const seeds: string[] = [];
  let labelledAt = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    if (a === undefined || b === undefined || b.seed === a.seed) continue;
    const at = x(a.timelines);
    seeds.push(`<line class="seed" x1="${at}" y1="${TOP}" x2="${at}" y2="${HEIGHT - BOTTOM}"/>`);
    // Seeds with few timelines crowd together: label only those with room.
    if (Number(at) - labelledAt < MIN_LABEL_GAP) continue;
    labelledAt = Number(at);
    seeds.push(`<text x="${at}" y="${TOP + 10}" dx="3">seed ${b.seed}</text>`);
  }
  const last = points[points.length - 1] as CoveragePoint;
  const bottom = HEIGHT - BOTTOM;
  return [
    `<svg class="chart" role="img" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}"` +
      ' xmlns="http://www.w3.org/2000/svg">',
    `<title>Coverage: ${thousands(last.bits)} of ${thousands(totalBits)} bits after ${thousands(last.timelines)} timelines</title>`,
    `<line class="axis" x1="${LEFT}" y1="${bottom}" x2="${WIDTH - RIGHT}" y2="${bottom}"/>`,
    `<line class="axis" x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${bottom}"/>`,
    `<text x="${LEFT - 4}" y="${y(maxB)}" dy="4" text-anchor="end">${thousands(maxB)}</text>`,
    `<text x="${LEFT - 4}" y="${bottom}" text-anchor="end">0</text>`,
    `<text x="${LEFT}" y="${HEIGHT - 8}">0</text>`,
    `<text x="${WIDTH - RIGHT}" y="${HEIGHT - 8}" text-anchor="end">${thousands(maxT)} timelines</text>`,
    `<text x="${(LEFT + WIDTH) / 2}" y="${HEIGHT - 8}" text-anchor="middle">child timelines run →</text>`,
    `<text x="12" y="${(TOP + bottom) / 2}" transform="rotate(-90 12 ${(TOP + bottom) / 2})" text-anchor="middle">bits</text>`,
    ...seeds,
    `<polyline class="curve" points="${steps.join(' ')}"/>`,
    '</svg>',
  ].join('\n');
}
