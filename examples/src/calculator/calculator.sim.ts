import { assertAlways, defineSimulation, SimulationBuilder } from 'moonpool';
import { useCalculator } from './calculator-client.js';
import { startCalculatorServer } from './calculator-server.js';
import { CALCULATOR_PORT } from './calculator-service.js';

/** What both sides print when run for real is kept in this event log in simulation. */
const LOG = 'calculator';

/**
 * The calculator example in simulation: the server and client code that `npm run example:calculator`
 * runs as two OS processes, here on one simulated server and one client machine over the default
 * network (its chaos included).
 */
export const calculator = defineSimulation({
  name: 'calculator',
  description: 'a typed service with zod schemas; bad requests get Serialization replies; must pass',
  build: () =>
    new SimulationBuilder()
      .processes(1, () => ({
        name: 'calculator-server',
        async run(ctx) {
          const server = await startCalculatorServer(ctx.providers, `${ctx.myIp}:${CALCULATOR_PORT}`, (line) => ctx.emit(LOG, line));
          await new Promise<void>((resolve) => ctx.shutdown.addEventListener('abort', () => resolve(), { once: true }));
          await server.stop();
        },
      }))
      .workload({
        name: 'calculator-client',
        async run(ctx) {
          const [ip] = ctx.topology.processIps;
          const session = await useCalculator(ctx.providers, `${ip}:${CALCULATOR_PORT}`, (line) => ctx.emit(LOG, line));
          assertAlways(session.asExpected === session.calls, 'every call gives its result or its refusal');
          assertAlways(
            session.refusals.some((m) => m.includes('cannot divide by zero')),
            'a refused request says why',
          );
        },
      })
      .setIterations(50),
});
