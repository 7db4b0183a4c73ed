/**
 * The shape of a `statevisor` config (DESIGN.md §9), as a user writes it in YAML, JSON or a
 * TS/JS module: the supervisor options of core, with `processes` and nested `groups` instead of
 * `children`. The schema in `config-schema.ts` validates exactly this shape.
 *
 * @module
 */
import type { BackoffPolicy, ChildDefaults, Intensity, Strategy } from '@statevisor/core';
import type { ProcessConfig } from '@statevisor/process';
import type { KillSignal } from './signals.ts';

/**
 * What every process and group may say about its own supervision (core's child options).
 *
 * @example
 * ```ts
 * const options: ChildOptionsConfig = { restart: 'always', dependsOn: ['web'], backoff: { firstMs: 500 } };
 * ```
 */
export interface ChildOptionsConfig {
  readonly restart?: 'never' | 'on-failure' | 'always' | { readonly always: { readonly intervalMs: number } };
  readonly backoff?: Partial<BackoffPolicy>;
  readonly maxRetries?: number;
  readonly resetAfterMs?: number;
  readonly timeoutMs?: number;
  readonly graceMs?: number;
  readonly heartbeatTimeoutMs?: number;
  /** Sibling names this one waits for (ready, or completed successfully). */
  readonly dependsOn?: readonly string[];
}

/**
 * One process: core's process config and child options, with `command` a string (split like a
 * shell would, without a shell, unless `shell: true`) or an argv array, and `envFile` (dotenv
 * files loaded under `env`).
 *
 * @example
 * ```ts
 * const web: ProcessEntry = { command: 'node server.js', readyIndicator: 'listening', envFile: '.env' };
 * ```
 */
export interface ProcessEntry
  extends Omit<ProcessConfig, 'command' | 'args' | 'readyIndicator' | 'env' | 'killSignal'>,
    ChildOptionsConfig {
  readonly command: string | readonly string[];
  /** Run `command` through `sh -c` (a string only). Default false. */
  readonly shell?: boolean;
  /** A regular expression's source, matched against each output line. */
  readonly readyIndicator?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** The signal that stops the process group (default SIGTERM). */
  readonly killSignal?: KillSignal;
  /** Dotenv file(s), relative to the config's folder; `env` wins over them. */
  readonly envFile?: string | readonly string[];
}

/**
 * A nested supervisor: its own strategy and intensity, its processes and groups.
 *
 * @example
 * ```ts
 * const workers: GroupEntry = { strategy: 'one-for-all', processes: { a: { command: 'worker a' } } };
 * ```
 */
export interface GroupEntry extends ChildOptionsConfig {
  readonly strategy?: Strategy;
  readonly intensity?: Intensity;
  readonly processes?: Readonly<Record<string, ProcessEntry>>;
  readonly groups?: Readonly<Record<string, GroupEntry>>;
}

/**
 * A whole config: the root supervisor's options, its processes and groups.
 *
 * @example
 * ```ts
 * const config: StatevisorConfig = {
 *   name: 'shop',
 *   processes: { web: { command: 'node server.js', readyIndicator: 'listening' } },
 *   groups: { workers: { strategy: 'one-for-all', dependsOn: ['web'], processes: { mail: { command: 'node mail.js' } } } },
 * };
 * ```
 */
export interface StatevisorConfig {
  /** The JSON Schema, for editors (`statevisor/statevisor.schema.json`); ignored otherwise. */
  readonly $schema?: string;
  /** The root's name, the first segment of every path (default: the config folder's name). */
  readonly name?: string;
  readonly strategy?: Strategy;
  readonly intensity?: Intensity;
  readonly graceMs?: number;
  readonly maxConcurrent?: number;
  readonly defaults?: ChildDefaults;
  readonly processes?: Readonly<Record<string, ProcessEntry>>;
  readonly groups?: Readonly<Record<string, GroupEntry>>;
}
