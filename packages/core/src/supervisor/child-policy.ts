/**
 * What a child runs under: its policy (its own options over its supervisor's defaults), and a
 * child supervisor's defaults for its own children.
 */
import { validateBackoff } from '../policies/backoff.ts';
import type { ChildSpec, ResolvedDefaults } from '../spec/supervisor-options.ts';
import type { NestedSupervisorOptions } from '../spec/supervisor-spec.ts';
import type { TaskPolicy } from '../task/task-types.ts';

/**
 * The policies of one supervisor's children. Children that override nothing share one policy
 * object, so 100k plain children cost one.
 *
 * @example
 * ```ts
 * const policies = new ChildPolicies(defaults);
 * const policy = policies.of(spec); // spec.options over the defaults
 * ```
 */
export class ChildPolicies {
  readonly #defaults: ResolvedDefaults;
  #shared: TaskPolicy | undefined;

  constructor(defaults: ResolvedDefaults) {
    this.#defaults = defaults;
  }

  /** The resolved policy of `spec`. */
  of(spec: ChildSpec): TaskPolicy {
    const defaults = this.#defaults;
    const { options } = spec;
    const fallbackRestart = spec.type === 'supervisor' ? 'always' : defaults.restart;
    const overrides =
      options.restart !== undefined ||
      options.backoff !== undefined ||
      options.maxRetries !== undefined ||
      options.resetAfterMs !== undefined ||
      options.timeoutMs !== undefined ||
      options.graceMs !== undefined ||
      options.heartbeatTimeoutMs !== undefined ||
      spec.type === 'supervisor';
    if (!overrides) {
      this.#shared ??= { ...defaults, heartbeatTimeoutMs: 0 };
      return this.#shared;
    }
    return {
      restart: options.restart ?? fallbackRestart,
      backoff: options.backoff === undefined ? defaults.backoff : validateBackoff(options.backoff, 'backoff', defaults.backoff),
      maxRetries: options.maxRetries ?? defaults.maxRetries,
      resetAfterMs: options.resetAfterMs ?? defaults.resetAfterMs,
      timeoutMs: options.timeoutMs ?? (spec.type === 'supervisor' ? 0 : defaults.timeoutMs),
      graceMs: options.graceMs ?? defaults.graceMs,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 0,
    };
  }
}

/**
 * A child supervisor's defaults: its own `defaults` over its parent's. Its children's default
 * grace is its `defaults.graceMs`, else its own `graceMs`, else the parent's default grace.
 *
 * @example
 * ```ts
 * const defaults = nestedDefaults(parentDefaults, { strategy: 'one-for-all', children, graceMs: 2_000 });
 * ```
 */
export function nestedDefaults(parent: ResolvedDefaults, nested: NestedSupervisorOptions): ResolvedDefaults {
  const own = nested.defaults ?? {};
  return {
    restart: own.restart ?? parent.restart,
    backoff: own.backoff ?? parent.backoff,
    maxRetries: own.maxRetries ?? parent.maxRetries,
    resetAfterMs: own.resetAfterMs ?? parent.resetAfterMs,
    timeoutMs: own.timeoutMs ?? parent.timeoutMs,
    graceMs: own.graceMs ?? nested.graceMs ?? parent.graceMs,
  };
}
