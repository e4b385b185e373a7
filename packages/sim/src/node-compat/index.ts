export { createSimHttpServer, serveHttp, type HttpServing } from './http-server.js';
export { httpAgent, SimHttpAgent } from './http-agent.js';
export { StreamSocket, type StreamSocketOptions } from './stream-socket.js';
