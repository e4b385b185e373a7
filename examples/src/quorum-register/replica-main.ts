// One register replica as an OS process on NodeProviders:
//   node replica-main.js <ip:port> <data-dir>
// (port 0 picks a free one). Keeps its register in <data-dir>/register.dat (created if missing; what
// an earlier process synced there is read back), prints `listening on <ip:port>` once it serves,
// serves until SIGTERM or SIGINT, then stops and prints what it did.
import { mkdirSync } from 'node:fs';
import { NodeProviders } from 'moonpool';
import { formatVersion } from './register-service.js';
import { startReplica } from './replica.js';

const [listenOn, dataDir] = process.argv.slice(2);
if (listenOn === undefined || dataDir === undefined) {
  console.error('usage: replica-main.js <ip:port> <data-dir>');
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });
const replica = await startReplica(new NodeProviders({ storageRoot: dataDir }), { listenOn });
console.log(`holding version ${formatVersion(replica.stored.version)} from ${dataDir}`);
console.log(`listening on ${replica.address.toString()}`);
const stop = async (): Promise<void> => {
  await replica.stop();
  const { reads, writes, stores } = replica.counts;
  console.log(`stopped after ${reads} reads and ${writes} writes (${stores} stored); holding ${formatVersion(replica.stored.version)}`);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
