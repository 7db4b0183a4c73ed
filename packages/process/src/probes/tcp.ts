/**
 * The TCP check: a success when a connection to host:port opens; it is closed at once.
 *
 * @module
 */
import { connect } from 'node:net';
import { describeTarget } from '../probe-config.ts';
import type { ProbeTarget } from '../probe-config.ts';
import { describeError } from './failure.ts';
import type { ProbeCheck } from './scheduler.ts';

/**
 * A check that connects to `target` (see {@link ProbeCheck}).
 *
 * @example
 * ```ts
 * const check = tcpCheck({ kind: 'tcp', host: '127.0.0.1', port: 5432 });
 * await check.run(AbortSignal.timeout(1_000)); // undefined, or 'tcp 127.0.0.1:5432 failed: ECONNREFUSED ...'
 * ```
 */
export function tcpCheck(target: Extract<ProbeTarget, { kind: 'tcp' }>): ProbeCheck {
  const described = describeTarget(target);
  return {
    target: described,
    run: (signal) =>
      new Promise<string | undefined>((resolve) => {
        const socket = connect({ host: target.host, port: target.port });
        const onAbort = (): void => {
          socket.destroy();
          resolve(`${described} was aborted`);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const done = (failure: string | undefined): void => {
          signal.removeEventListener('abort', onAbort);
          socket.destroy();
          resolve(failure);
        };
        socket.once('connect', () => {
          done(undefined);
        });
        socket.on('error', (error) => {
          done(`${described} failed: ${describeError(error)}`);
        });
      }),
  };
}
