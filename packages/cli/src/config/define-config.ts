/**
 * `defineConfig`: the identity function that gives a TS/JS config its types.
 *
 * @module
 */
import type { StatevisorConfig } from './config-types.ts';

/**
 * Returns the config as it is; its only job is to type-check a `statevisor.config.ts`.
 *
 * @param config - the config
 * @returns the same config
 *
 * @example
 * ```ts
 * export default defineConfig({ processes: { web: { command: 'node server.js' } } });
 * ```
 */
export function defineConfig(config: StatevisorConfig): StatevisorConfig {
  return config;
}
