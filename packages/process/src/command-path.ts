/**
 * Resolves a command name to an absolute path through `PATH`, so the forked child makes one
 * `execve` instead of one per `PATH` entry. A command with a `/` is used as given; when nothing
 * is found (or `PATH` has relative entries) the bare name is passed on and the operating system
 * reports the error (ENOENT, EACCES) exactly as it would have.
 *
 * @module
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

async function isExecutableFile(candidate: string): Promise<boolean> {
  try {
    await access(candidate, constants.X_OK);
    return (await stat(candidate)).isFile();
  } catch {
    return false;
  }
}

/**
 * Resolves one command, remembering the result for the same `PATH` until told to forget.
 *
 * @example
 * ```ts
 * const resolver = new CommandResolver('sh');
 * await resolver.resolve(process.env['PATH']); // '/usr/bin/sh'
 * ```
 */
export class CommandResolver {
  readonly #command: string;
  #cachedFor: string | undefined = undefined;
  #cached: string | undefined = undefined;

  /** @param command - the command as configured */
  constructor(command: string) {
    this.#command = command;
  }

  /** The file to spawn for `PATH` = `searchPath`: an absolute path, or the command as given. */
  async resolve(searchPath: string | undefined): Promise<string> {
    const command = this.#command;
    if (command.includes('/') || searchPath === undefined || searchPath === '') return command;
    if (this.#cached !== undefined && this.#cachedFor === searchPath) return this.#cached;
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
    this.#cachedFor = searchPath;
    this.#cached = found;
    return found;
  }

  /** Drops the remembered path (after a spawn error, the file may have moved). */
  forget(): void {
    this.#cachedFor = undefined;
    this.#cached = undefined;
  }
}
