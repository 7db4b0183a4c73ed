/**
 * The HTTP check: `GET http://host:port/path` with `node:http`, a success for a 2xx or 3xx
 * answer. The body is never read (the socket is destroyed as soon as the status is known), no
 * connection is kept alive, and an abort ends the request at once.
 *
 * @module
 */
import { request } from 'node:http';
import { describeTarget } from '../probe-config.ts';
import type { ProbeTarget } from '../probe-config.ts';
import { describeError } from './failure.ts';
import type { ProbeCheck } from './scheduler.ts';

/**
 * A check that GETs `target` (see {@link ProbeCheck}).
 *
 * @example
 * ```ts
 * const check = httpCheck({ kind: 'http', host: '127.0.0.1', port: 8080, path: '/health' });
 * await check.run(AbortSignal.timeout(1_000)); // undefined, or 'GET http://127.0.0.1:8080/health answered 503'
 * ```
 */
export function httpCheck(target: Extract<ProbeTarget, { kind: 'http' }>): ProbeCheck {
  const described = describeTarget(target);
  return {
    target: described,
    run: (signal) =>
      new Promise<string | undefined>((resolve) => {
        const req = request({ host: target.host, port: target.port, path: target.path, method: 'GET', agent: false, signal });
        req.once('response', (res) => {
          const status = res.statusCode ?? 0;
          // The body is discarded: destroying the request closes the socket without reading it.
          req.destroy();
          resolve(status >= 200 && status < 400 ? undefined : `${described} answered ${status}`);
        });
        req.on('error', (error) => {
          resolve(`${described} failed: ${describeError(error)}`);
        });
        req.end();
      }),
  };
}
