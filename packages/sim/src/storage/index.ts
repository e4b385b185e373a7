export type * from './fault-events.js';
export { SimStorage, type SimStorageOptions } from './sim-storage.js';
export { MAX_FILE_BYTES, SimStorageFile } from './sim-storage-file.js';
export { SimStorageProvider } from './sim-storage-provider.js';
export { SECTOR_BYTES } from './torn-writes.js';
