// The assertion bookkeeping lives in the leaf package; sim keeps this path for its importers.
export * from '@moonpool/explorer';
