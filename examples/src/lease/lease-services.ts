import type { SimContext } from 'moonpool';
import { LeadershipMonitor, MONITOR_KEY } from './leadership-monitor.js';
import { LeaseStore } from './lease-store.js';

const STORE_KEY = 'lease:store';

/**
 * The iteration's lease store and leadership monitor, published through the shared state by
 * whoever asks first (processes boot before the workload's setup).
 */
export function leaseServices(ctx: SimContext): { store: LeaseStore; monitor: LeadershipMonitor } {
  let store = ctx.state.get<LeaseStore>(STORE_KEY);
  if (store === undefined) {
    store = new LeaseStore();
    ctx.state.publish(STORE_KEY, store);
  }
  let monitor = ctx.state.get<LeadershipMonitor>(MONITOR_KEY);
  if (monitor === undefined) {
    monitor = new LeadershipMonitor();
    ctx.state.publish(MONITOR_KEY, monitor);
  }
  return { store, monitor };
}
