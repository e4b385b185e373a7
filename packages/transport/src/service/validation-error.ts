import type { StandardSchemaV1 } from '@standard-schema/spec';
import { formatPath } from '../codec/value-path.js';

/** Which message of a method: the request (checked by the server) or the response (by the client). */
export type MessageDirection = 'request' | 'response';

const SHOWN_ISSUES = 10;
const ISSUE_LENGTH = 200;

/**
 * A message its method's Standard Schema refused. `issues` are the schema's own; the message lists
 * them readably, one `path: message` each (`$` is the whole message).
 */
export class ValidationError extends Error {
  /** Always `'ValidationError'`. */
  override readonly name = 'ValidationError';

  constructor(
    /** The name of the service whose method's message was refused. */
    readonly serviceName: string,
    /** The method's name, as declared in the service definition. */
    readonly methodName: string,
    /** Whether the request (refused by the server) or the response (refused by the client). */
    readonly direction: MessageDirection,
    /** Every issue the schema reported, unabridged (the message shows the first ten). */
    readonly issues: readonly StandardSchemaV1.Issue[],
    options?: { cause?: unknown },
  ) {
    super(`invalid ${direction} for ${serviceName}.${methodName}: ${formatIssues(issues)}`, options);
  }
}

/** `$.a: Expected number; $.b[0]: Required`, the first ten issues, each cut to 200 characters. */
export function formatIssues(issues: readonly StandardSchemaV1.Issue[]): string {
  const shown = issues.slice(0, SHOWN_ISSUES).map((issue: Partial<StandardSchemaV1.Issue> | null) => {
    // Written defensively: a hand-made schema may return issues that do not follow the spec.
    const segments = Array.isArray(issue?.path) ? issue.path : [];
    const path = formatPath(segments.map((s) => (typeof s === 'object' && s !== null ? s.key : s)));
    const message = String(issue?.message);
    return `${path}: ${message.length > ISSUE_LENGTH ? `${message.slice(0, ISSUE_LENGTH)}…` : message}`;
  });
  const more = issues.length - shown.length;
  if (more > 0) shown.push(`and ${more} more`);
  return shown.length === 0 ? 'no issue given' : shown.join('; ');
}
