// The calculator server as an OS process on NodeProviders: `node server-main.js [ip:port]`
// (default 127.0.0.1:0, a free port). Prints `listening on <ip:port>`, serves until SIGTERM or
// SIGINT, then stops and exits.
import { NodeProviders } from 'moonpool';
import { startCalculatorServer } from './calculator-server.js';

const server = await startCalculatorServer(new NodeProviders(), process.argv[2] ?? '127.0.0.1:0', (line) => console.log(line));
console.log(`listening on ${server.address.toString()}`);
const stop = async (): Promise<void> => {
  await server.stop();
  console.log(`stopped after answering ${server.answered} requests`);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
