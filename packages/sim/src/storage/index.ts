export { MAX_FILE_BYTES } from './checks.js';
export type * from './fault-events.js';
export { SimStorage, type SimStorageOptions } from './sim-storage.js';
export { SimStorageFile } from './sim-storage-file.js';
export { SimStorageProvider } from './sim-storage-provider.js';
export { SECTOR_BYTES } from './torn-writes.js';
