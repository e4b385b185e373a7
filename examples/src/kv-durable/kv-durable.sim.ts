import { defineSimulation, durationRange, type SimulationBuilder, storageConfiguration } from 'moonpool';
import { kvBoots } from '../kv/kv-boots.js';
import { kvSimulation } from '../kv/kv-simulation.js';
import { DurableKvStore, type DurableStoreOptions } from './durable-kv-store.js';

/**
 * A slow-syncing disk (5–20 ms, like a spinning one) with the faults the log must survive: torn
 * unsynced writes at power loss, bit flips on write and on read, failing syncs. Not injected:
 * misdirected and phantom writes and wipes, against which a single unreplicated log cannot protect
 * acknowledged data.
 */
const FAULTY_DISK = storageConfiguration({
  syncLatency: durationRange(5, 20),
  crashFaultProbability: 0.3,
  readFaultProbability: 0.01,
  writeFaultProbability: 0.01,
  syncFailureProbability: 0.01,
});

function durableSimulation(options: DurableStoreOptions): SimulationBuilder {
  return kvSimulation({
    openStore: (ctx) => DurableKvStore.open(ctx, options, kvBoots(ctx).of(ctx.myIp).length),
    durability: 'durable',
    // The default network (chaos without partitions or clogs) keeps requests fast and frequent,
    // so crashes often land while a write is in flight.
    randomNetwork: false,
    thinkMs: [0, 40],
    // Crashes lose unsynced data; graceful shutdowns exercise clean restarts.
    attrition: {
      maxDead: 1,
      probGraceful: 1,
      probCrash: 2,
      probWipe: 0,
      recoveryDelayMs: [200, 2000],
      gracePeriodMs: [100, 1000],
    },
  }).setStorageConfiguration(FAULTY_DISK);
}

/** KV servers logging every mutation and syncing it before the reply: acknowledged writes survive. */
export const kvDurable = defineSimulation({
  name: 'kv-durable',
  description: '3 KV servers with a write-ahead log on a faulty disk, crashes and network chaos; must pass',
  build: () => durableSimulation({ syncBeforeAck: true, compactAtBytes: 1024 }).setIterations(50),
});

/** The same servers acknowledging before the sync: a crash right after a reply loses the write. */
export const kvDurableNosync = defineSimulation({
  name: 'kv-durable-nosync',
  description: 'write-ahead log that acknowledges before syncing; crashes lose acknowledged writes',
  expectFailure: true,
  build: () => durableSimulation({ syncBeforeAck: false, compactAtBytes: 1024 }).setIterations(50),
});
