/**
 * The moonpool release this code belongs to (every package shares it; a test checks it against the
 * package.json files). Mergeable reports carry it: reports of two versions never merge.
 */
export const MOONPOOL_VERSION = '0.1.0';
