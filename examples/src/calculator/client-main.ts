// The calculator client as an OS process on NodeProviders: `node client-main.js <ip:port>`.
// Exits 0 when every call gave its result or its expected refusal.
import { NodeProviders } from 'moonpool';
import { useCalculator } from './calculator-client.js';

const server = process.argv[2];
if (server === undefined) {
  console.error('usage: client-main.js <ip:port>');
  process.exit(2);
}
const session = await useCalculator(new NodeProviders(), server, (line) => console.log(line));
console.log(`${session.asExpected} of ${session.calls} calls gave what they should`);
process.exitCode = session.asExpected === session.calls ? 0 : 1;
