/**
 * `statevisor view` (placeholder until it lands).
 *
 * @module
 */
import { EXIT, type CommandIo } from './command-io.ts';

/**
 * Runs `statevisor view`.
 *
 * @param io - arguments and streams
 * @returns the exit status
 */
export async function viewCommand(io: CommandIo): Promise<number> {
  io.stderr.write('statevisor view: not implemented yet\n');
  return Promise.resolve(EXIT.failed);
}
