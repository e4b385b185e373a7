import { assertAlways, defineSimulation, SimulationBuilder } from 'moonpool';
import { playPingPong } from './ping-pong-client.js';
import { PING_PONG_PORT } from './ping-pong-protocol.js';
import { startPingPongServer } from './ping-pong-server.js';

const ROUNDS = 20;
/** What both sides print when run for real is kept in this event log in simulation. */
const LOG = 'ping-pong';

/**
 * The ping-pong example in simulation: the server and client code that `npm run example:ping-pong`
 * runs as two OS processes, here on one simulated server machine and one client machine over the
 * default network (its chaos: connect failures, bit flips, random closes, delays).
 */
export const pingPong = defineSimulation({
  name: 'ping-pong',
  description: 'a raw RequestStream answering pings, a client pinging it 20 times with getReply; must pass',
  build: () =>
    new SimulationBuilder()
      .processes(1, () => ({
        name: 'ping-pong-server',
        async run(ctx) {
          const server = await startPingPongServer(ctx.providers, `${ctx.myIp}:${PING_PONG_PORT}`, (line) => ctx.emit(LOG, line));
          // Serves until the machine stops; a simulation kills its processes at the end.
          await new Promise<void>((resolve) => ctx.shutdown.addEventListener('abort', () => resolve(), { once: true }));
          await server.stop();
        },
      }))
      .workload({
        name: 'ping-pong-client',
        async run(ctx) {
          const [ip] = ctx.topology.processIps;
          const result = await playPingPong(ctx.providers, `${ip}:${PING_PONG_PORT}`, ROUNDS, (line) => ctx.emit(LOG, line));
          assertAlways(result.matched === ROUNDS, 'every ping gets its pong');
        },
      })
      .setIterations(50),
});
