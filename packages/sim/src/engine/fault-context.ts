import type { FaultContext } from '../chaos/fault-injector.js';
import type { RebootKind, RebootOptions } from '../chaos/reboot.js';
import type { SimProviders } from '../providers/sim-providers.js';
import type { Cluster } from './cluster.js';

/** The fault injectors' view of `cluster`: every action is ignored once `chaosEnd` is aborted. */
export function faultContext(cluster: Cluster, providers: SimProviders, chaosEnd: AbortSignal): FaultContext {
  const during =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (!chaosEnd.aborted) fn(...args);
    };
  const { network: net, storage, processIps } = cluster;
  return {
    processIps,
    ipsTagged: (key, value) => processIps.filter((ip) => cluster.tagsByIp.get(ip)?.[key] === value),
    isAlive: (ip) => cluster.isAlive(ip),
    isRebooting: (ip) => cluster.isRebooting(ip),
    reboot: during((ip: string, kind: RebootKind, options?: RebootOptions) => cluster.reboot(ip, kind, options)),
    partitionPair: during((a: string, b: string, ms?: number) => net.partitionPair(a, b, ms)),
    partitionSendFrom: during((ip: string, ms?: number) => net.partitionSendFrom(ip, ms)),
    partitionRecvTo: during((ip: string, ms?: number) => net.partitionRecvTo(ip, ms)),
    healAll: during(() => net.healAll()),
    swizzle: during((ips: readonly string[], ms: number) => net.swizzleMachines(ips, ms)),
    simulatePeerCrash: during((ip: string, after?: number) => net.simulatePeerCrash(ip, after)),
    simulateStorageCrash: during((ip: string) => storage.simulateCrashForProcess(ip)),
    wipeStorage: during((ip: string) => storage.wipeStorageForProcess(ip)),
    time: providers.time,
    random: providers.random,
    chaosShutdown: chaosEnd,
  };
}
