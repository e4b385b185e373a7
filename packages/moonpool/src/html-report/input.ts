import type { SimulationReportJson } from '@moonpool/sim';

/**
 * One simulation as the page shows it: its JSON report (`reportToJson`, what `--json` prints), plus
 * what the command knew beyond it. Plain JSON values, so a page can be rendered from saved reports.
 */
export type SimulationJson = SimulationReportJson & {
  /** The simulation demonstrates a bug: finding a failing seed is the expected result. */
  expectFailure?: true;
  /** The simulation threw while building or running (it then has no iterations). */
  error?: string;
  /** The run replayed this timeline (`<seed>:<recipe>`, `--recipe`): its failure is reproduced by it. */
  replayedRecipe?: string;
};

/** What `renderHtmlReport` draws: the simulations of one command, in the order they ran. */
export interface HtmlReportInput {
  /** Each simulation as its `--json` line (`JSON.parse` of it), with `replayedRecipe` for a `--recipe` run. */
  simulations: readonly SimulationJson[];
  /** `--dir` as typed, so the reproduce commands find the same simulations. */
  dir?: string;
  /** Simulations an interrupt left unrun (the page is then partial). */
  notRun?: number;
}
