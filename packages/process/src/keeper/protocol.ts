/**
 * The messages between the host and its process helper (the keeper), over the helper's IPC
 * channel. Plain JSON: the host asks the keeper to spawn a group and to forget it; the keeper
 * answers with the leader's pid and its pipes (passed as socket handles), its exit, or why the
 * spawn failed.
 *
 * @module
 */

/**
 * Host → keeper: spawn `file` as the leader of a new process group. `id` names the request
 * (and the group) in every later message.
 *
 * @example
 * ```ts
 * const request: SpawnRequest = { t: 'spawn', id: 1, file: '/usr/bin/sleep', args: ['5'], argv0: 'sleep', cwd: '/', env: {}, stdin: false, output: true, killSignal: 'SIGTERM', graceMs: 5000 };
 * ```
 */
export interface SpawnRequest {
  readonly t: 'spawn';
  readonly id: number;
  readonly file: string;
  readonly args: readonly string[];
  readonly argv0: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Pipe stdin (true) or connect it to /dev/null. */
  readonly stdin: boolean;
  /** Pipe stdout and stderr back (true) or connect them to /dev/null. */
  readonly output: boolean;
  /** What the group gets when the host is gone, then SIGKILL after `graceMs`. */
  readonly killSignal: string;
  readonly graceMs: number;
}

/**
 * Host → keeper: the host has cleaned up the group `id` (its leader exited and the rest of the
 * group was killed): the keeper forgets it.
 *
 * @example
 * ```ts
 * const release: ReleaseRequest = { t: 'release', id: 1 };
 * ```
 */
export interface ReleaseRequest {
  readonly t: 'release';
  readonly id: number;
}

/**
 * Every message the host sends.
 *
 * @example
 * ```ts
 * const message: HostMessage = { t: 'release', id: 1 };
 * ```
 */
export type HostMessage = SpawnRequest | ReleaseRequest;

/**
 * Keeper → host. In order, for one request: `spawned` (with the stdout handle, when there is
 * output) then `stderr` and `stdin` (each with its handle, when piped), later `exit`; or
 * `failed` alone. `ready` is sent once, when the keeper listens.
 *
 * @example
 * ```ts
 * const message: KeeperMessage = { t: 'exit', id: 1, code: 0, signal: null };
 * ```
 */
export type KeeperMessage =
  | { readonly t: 'ready' }
  | { readonly t: 'spawned'; readonly id: number; readonly pid: number }
  | { readonly t: 'stderr'; readonly id: number }
  | { readonly t: 'stdin'; readonly id: number }
  | { readonly t: 'exit'; readonly id: number; readonly code: number | null; readonly signal: string | null }
  | { readonly t: 'failed'; readonly id: number; readonly error: SpawnFailure };

/**
 * Why a spawn failed, as the keeper saw it (the fields of Node's errno error).
 *
 * @example
 * ```ts
 * const failure: SpawnFailure = { code: 'ENOENT', syscall: 'spawn /no/such', message: 'spawn /no/such ENOENT' };
 * ```
 */
export interface SpawnFailure {
  readonly code: string | undefined;
  readonly syscall: string | undefined;
  readonly message: string;
}

/**
 * Whether `value` is an object with a string `t` and a number `id` when given: the shape every
 * message has. The peer is our own code; this guards against nothing more than a bug.
 *
 * @example
 * ```ts
 * process.on('message', (value) => { if (isMessage(value)) handle(value); });
 * ```
 */
export function isMessage(value: unknown): value is { readonly t: string; readonly id?: number } {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 't') === 'string';
}
