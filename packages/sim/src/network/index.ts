export type { NetworkFaultEvent } from './network-faults.js';
export { SimListener } from './sim-listener.js';
export { SimNetwork } from './sim-network.js';
export { markStable, SimNetworkProvider } from './sim-network-provider.js';
export { SimStream } from './sim-stream.js';
