import type { Profiler, Session } from 'node:inspector';
import { CodeCoverageMap } from './code-coverage-map.js';
import { type FunctionCoverage, functionCoverage } from './function-coverage.js';
import { moduleFilter, type ModuleSelection } from './module-filter.js';

/**
 * V8 block coverage of one thread's isolate through an inspector session of its own, binary mode
 * (`callCount: false`: a block ran or not; cheaper than counting). Every take reports what ran since
 * the previous one (V8 resets the counters), so a take is a function of the code run in between.
 * Code compiled before `start` has no block counters: start it before the system under test is
 * imported (a worker thread does, before it imports the simulation).
 */
export class CoverageCollector {
  /** What this thread has reported so far: later takes send only what adds to it. */
  private readonly sent = new CodeCoverageMap();

  private constructor(
    private readonly session: Session,
    private readonly selected: (url: string) => boolean,
  ) {}

  /** Starts precise block coverage on this thread; null when Node was built without the inspector. */
  static async start(selection: ModuleSelection): Promise<CoverageCollector | null> {
    if (!codeCoverageSupported()) return null;
    const inspector = await import('node:inspector');
    const session = new inspector.Session();
    session.connect();
    const collector = new CoverageCollector(session, moduleFilter(selection));
    collector.post('Profiler.enable');
    collector.post('Profiler.startPreciseCoverage', { callCount: false, detailed: true });
    return collector;
  }

  /**
   * The system under test's functions run since the last take, minus what this thread already
   * reported (the receiver merged it: leaving it out changes no decision, and keeps messages short).
   */
  takeNew(): FunctionCoverage[] {
    return this.sent.add(this.take());
  }

  /** Everything the system under test ran since the last take. */
  take(): FunctionCoverage[] {
    const { result } = this.post('Profiler.takePreciseCoverage') as Profiler.TakePreciseCoverageReturnType;
    const entries: FunctionCoverage[] = [];
    for (const script of result) {
      if (!this.selected(script.url)) continue;
      for (const fn of script.functions) {
        const entry = functionCoverage(script.url, fn.ranges);
        if (entry !== null) entries.push(entry);
      }
    }
    return entries;
  }

  stop(): void {
    this.post('Profiler.stopPreciseCoverage');
    this.post('Profiler.disable');
    this.session.disconnect();
  }

  /** An inspector call; on a session of the thread's own isolate it answers before `post` returns. */
  private post(method: string, params?: object): unknown {
    let answered = false;
    let failure: Error | null = null;
    let answer: unknown;
    this.session.post(method, params, (err, result) => {
      answered = true;
      failure = err;
      answer = result;
    });
    if (!answered) throw new Error(`inspector call ${method} did not answer synchronously`);
    if (failure !== null) throw failure;
    return answer;
  }
}

/** Whether this Node can collect V8 block coverage (built with the inspector). */
export function codeCoverageSupported(): boolean {
  return process.features.inspector;
}
