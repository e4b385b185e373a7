import { pathToFileURL } from 'node:url';

/** Which scripts count as the system under test; plain data, so worker threads rebuild the same filter. */
export interface ModuleSelection {
  /** URL prefixes; null: the default rule (`isSystemUnderTest`). */
  readonly prefixes: readonly string[] | null;
}

/**
 * The framework's packages: the folder holding `@moonpool/sim` (this file is
 * `<packages>/sim/dist/src/coverage/`), i.e. `packages/` in the repository and `node_modules/@moonpool/`
 * once installed.
 */
const FRAMEWORK_ROOT = new URL('../../../../', import.meta.url).href;

/** The selection for `codeCoverage.modules`: paths become file URLs, URLs stay as given. */
export function moduleSelection(modules: readonly string[] | undefined): ModuleSelection {
  if (modules === undefined) return { prefixes: null };
  return { prefixes: modules.map((m) => (/^[a-z][a-z0-9+.-]*:/i.test(m) && !/^[a-z]:[\\/]/i.test(m) ? m : pathToFileURL(m).href)) };
}

/** The predicate a selection stands for. */
export function moduleFilter({ prefixes }: ModuleSelection): (url: string) => boolean {
  if (prefixes === null) return isSystemUnderTest;
  return (url) => prefixes.some((p) => url.startsWith(p));
}

/**
 * The default: file modules outside `node_modules` and outside the framework's packages (the
 * simulation's own modules and what they import); Node's internals have `node:` URLs.
 */
export function isSystemUnderTest(url: string): boolean {
  return url.startsWith('file:') && !url.includes('/node_modules/') && !url.startsWith(FRAMEWORK_ROOT);
}
