// The ping-pong client as an OS process on NodeProviders: `node client-main.js <ip:port> [rounds]`.
// Exits 0 when every ping got its pong.
import { NodeProviders } from 'moonpool';
import { playPingPong } from './ping-pong-client.js';

const [server, rounds = '5'] = process.argv.slice(2);
if (server === undefined) {
  console.error('usage: client-main.js <ip:port> [rounds]');
  process.exit(2);
}
const result = await playPingPong(new NodeProviders(), server, Number(rounds), (line) => console.log(line));
console.log(`${result.matched} of ${result.rounds} pongs matched their ping`);
process.exitCode = result.matched === result.rounds ? 0 : 1;
