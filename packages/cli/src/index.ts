/**
 * The `statevisor` command's public API: the config types, and `defineConfig` for configs
 * written in TypeScript or JavaScript (`statevisor.config.ts`).
 *
 * @example
 * ```ts
 * // statevisor.config.ts
 * import { defineConfig } from 'statevisor';
 *
 * export default defineConfig({
 *   processes: { web: { command: 'node server.js', readyIndicator: 'listening on' } },
 * });
 * ```
 *
 * @packageDocumentation
 */
export type { ChildOptionsConfig, GroupEntry, ProcessEntry, StatevisorConfig } from './config/config-types.ts';
export { defineConfig } from './config/define-config.ts';
