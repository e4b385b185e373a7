// Entry point for the worker-thread determinism test: posts the fingerprints of
// `workerData.iterations` iterations to the parent. Outside a worker it does nothing.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { determinismHashes } from './determinism-sim.js';

if (!isMainThread && parentPort !== null) {
  const data = workerData as { iterations?: number } | null;
  const hashes = await determinismHashes(data?.iterations ?? 200);
  parentPort.postMessage(hashes);
}
