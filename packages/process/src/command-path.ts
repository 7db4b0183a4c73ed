/**
 * Resolves a command name to an absolute path through `PATH`, so the forked child makes one
 * `execve` instead of one per `PATH` entry. A command with a `/` is used as given; when nothing
 * is found (or `PATH` has relative entries) the bare name is passed on and the operating system
 * reports the error (ENOENT, EACCES) exactly as it would have.
 *
 * Results are remembered for the whole host process, per command and `PATH`, so a new task
 * running a command some other task already ran starts without touching the file system. The
 * working directory is not part of the key: only absolute `PATH` entries are searched (the
 * search stops at the first relative one and leaves the rest to `execvp`), so the result never
 * depends on it. The runner forgets a result when the spawn fails, since the file may have
 * moved.
 *
 * @module
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

/** How many resolved commands are remembered, over every `PATH` (the oldest are dropped first). */
export const COMMAND_CACHE_SIZE = 512;

/** PATH → command → file. Both levels keep insertion order, oldest first. */
const known = new Map<string, Map<string, string>>();
let knownCount = 0;
/** Searches in flight, so that tasks starting together share one walk of `PATH`. */
const searching = new Map<string, Map<string, Promise<string>>>();

async function isExecutableFile(candidate: string): Promise<boolean> {
  try {
    await access(candidate, constants.X_OK);
    return (await stat(candidate)).isFile();
  } catch {
    return false;
  }
}

/** True when `command` is spawned as given, without any search. */
function usedAsGiven(command: string, searchPath: string | undefined): searchPath is undefined {
  return command.includes('/') || searchPath === undefined || searchPath === '';
}

/**
 * The file to spawn for `command` under `PATH` = `searchPath` when it is known without any I/O
 * (a command used as given, or one resolved before); undefined when it must be searched.
 *
 * @example
 * ```ts
 * knownCommandPath('/bin/sh', process.env['PATH']); // '/bin/sh'
 * knownCommandPath('sh', process.env['PATH']); // '/usr/bin/sh' once resolved, undefined before
 * ```
 */
export function knownCommandPath(command: string, searchPath: string | undefined): string | undefined {
  if (usedAsGiven(command, searchPath)) return command;
  return known.get(searchPath)?.get(command);
}

/**
 * The file to spawn for `command` under `PATH` = `searchPath`: an absolute path, or the command
 * as given. Remembered until {@link forgetCommandPath}.
 *
 * @example
 * ```ts
 * await resolveCommandPath('sh', process.env['PATH']); // '/usr/bin/sh'
 * ```
 */
export function resolveCommandPath(command: string, searchPath: string | undefined): Promise<string> {
  if (usedAsGiven(command, searchPath)) return Promise.resolve(command);
  const found = known.get(searchPath)?.get(command);
  if (found !== undefined) return Promise.resolve(found);
  let inFlight = searching.get(searchPath);
  const pending = inFlight?.get(command);
  if (pending !== undefined) return pending;
  const search: Promise<string> = searchFor(command, searchPath).then((found) => {
    const current = searching.get(searchPath);
    // Forgotten while searching (a spawn of the same command failed): do not bring it back.
    if (current?.get(command) === search) {
      current.delete(command);
      if (current.size === 0) searching.delete(searchPath);
      remember(command, searchPath, found);
    }
    return found;
  });
  if (inFlight === undefined) {
    inFlight = new Map();
    searching.set(searchPath, inFlight);
  }
  inFlight.set(command, search);
  return search;
}

/** Walks the absolute entries of `searchPath`; never rejects. */
async function searchFor(command: string, searchPath: string): Promise<string> {
  let found = command;
  for (const dir of searchPath.split(':')) {
    // An empty or relative entry depends on the child's cwd: leave the search to execvp.
    if (dir === '' || !isAbsolute(dir)) break;
    const candidate = join(dir, command);
    if (await isExecutableFile(candidate)) {
      found = candidate;
      break;
    }
  }
  return found;
}

function remember(command: string, searchPath: string, file: string): void {
  let commands = known.get(searchPath);
  if (commands === undefined) {
    commands = new Map();
    known.set(searchPath, commands);
  }
  if (!commands.has(command)) knownCount++;
  commands.set(command, file);
  while (knownCount > COMMAND_CACHE_SIZE) dropOldest();
}

function dropOldest(): void {
  const oldest = known.entries().next();
  if (oldest.done === true) {
    knownCount = 0;
    return;
  }
  const [searchPath, commands] = oldest.value;
  const first = commands.keys().next();
  if (first.done !== true) {
    commands.delete(first.value);
    knownCount--;
  }
  if (commands.size === 0) known.delete(searchPath);
}

/**
 * Drops what is remembered for `command` under `searchPath` (after a spawn error: the file may
 * have moved), including a search in flight.
 *
 * @example
 * ```ts
 * forgetCommandPath('sh', process.env['PATH']);
 * ```
 */
export function forgetCommandPath(command: string, searchPath: string | undefined): void {
  if (usedAsGiven(command, searchPath)) return;
  const commands = known.get(searchPath);
  if (commands?.delete(command) === true) {
    knownCount--;
    if (commands.size === 0) known.delete(searchPath);
  }
  const inFlight = searching.get(searchPath);
  if (inFlight?.delete(command) === true && inFlight.size === 0) searching.delete(searchPath);
}

/**
 * Forgets every remembered command (for tests).
 *
 * @example
 * ```ts
 * afterEach(forgetAllCommandPaths);
 * ```
 */
export function forgetAllCommandPaths(): void {
  known.clear();
  knownCount = 0;
  searching.clear();
}
