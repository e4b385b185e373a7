export { calculator } from './calculator/calculator.sim.js';
export { dungeon } from './dungeon/dungeon.sim.js';
export { httpService, httpServiceBuggy } from './http-service/http-service.sim.js';
export { kv } from './kv/kv.sim.js';
export { kvDurable, kvDurableNosync } from './kv-durable/kv-durable.sim.js';
export { lease, leaseBuggy } from './lease/lease.sim.js';
export { maze } from './maze/maze.sim.js';
export { pingPong } from './ping-pong/ping-pong.sim.js';
export { transport, transportBuggy } from './transport/transport.sim.js';
