/**
 * How a check's I/O error reads in a failure reason.
 *
 * @module
 */
import { errnoOf } from '../errors.ts';

/**
 * An I/O error as a short phrase: its errno when it has one (`ECONNREFUSED`), else its message.
 *
 * @example
 * ```ts
 * describeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })); // 'ECONNREFUSED'
 * ```
 */
export function describeError(error: Error): string {
  const errno = errnoOf(error);
  return errno === 'UNKNOWN' ? error.message : errno;
}
