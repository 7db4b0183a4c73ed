/**
 * `statevisor run` (placeholder until it lands).
 *
 * @module
 */
import { EXIT, type CommandIo } from './command-io.ts';

/**
 * Runs `statevisor run`.
 *
 * @param io - arguments and streams
 * @returns the exit status
 */
export async function runCommand(io: CommandIo): Promise<number> {
  io.stderr.write('statevisor run: not implemented yet\n');
  return Promise.resolve(EXIT.failed);
}
