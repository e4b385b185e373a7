import { readFileSync } from 'node:fs';

/**
 * The version of the moonpool package this code belongs to. Campaign jobs carry it: a worker of
 * another version could run the same seeds differently, so it refuses them.
 */
export const MOONPOOL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
