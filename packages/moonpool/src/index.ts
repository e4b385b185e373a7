export * from '@moonpool/core';
