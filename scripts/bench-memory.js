// Child of bench.js (run with --expose-gc): heap used after 1 000 and 10 000 iterations of one run.
import { SimulationBuilder } from '../packages/sim/dist/src/index.js';

const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const marks = {};
await new SimulationBuilder()
  .workload({
    name: 'sleeper',
    async run(ctx) {
      for (let i = 0; i < 5; i++) await ctx.time.sleep(ctx.random.randomRange(1, 100));
    },
  })
  .setIterations(10_000)
  .onIterationDone((_run, i) => {
    if (i === 999) marks.after1k = heap();
    if (i === 9_999) marks.after10k = heap();
  })
  .run();
process.stdout.write(JSON.stringify(marks));
