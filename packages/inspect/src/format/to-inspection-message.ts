/**
 * Converts XState v5 inspection events into recorded {@link InspectionMessage}s, in the shape
 * @statelyai/inspect's `createInspector` sends (its `convertXStateEvent`), made plain and
 * redacted on the way.
 *
 * @module
 */
import type { InspectionEvent } from 'xstate';
import type { ActorMessage, InspectedSnapshot, InspectionMessage } from './inspection-message.ts';
import { redact, type RedactOptions } from './redact.ts';
import { DEFAULT_DEPTH_LIMIT, read, toPlain, type PlainValue } from './to-plain.ts';

/**
 * The @statelyai/inspect protocol version the messages follow (the `_version` field).
 *
 * @example
 * ```ts
 * if (message._version !== STATELY_PROTOCOL_VERSION) console.warn('recorded by another version');
 * ```
 */
export const STATELY_PROTOCOL_VERSION = '0.7.2';

/**
 * Options of {@link toInspectionMessage}.
 *
 * @example
 * ```ts
 * const options: ToInspectionMessageOptions = { secrets: false, outputs: true, depthLimit: 12 };
 * ```
 */
export interface ToInspectionMessageOptions extends RedactOptions {
  /** How many object levels of contexts, events and definitions to keep (default 16). */
  readonly depthLimit?: number;
}

const STATUSES: ReadonlySet<unknown> = new Set(['active', 'done', 'error', 'stopped']);

/**
 * Converts one XState inspection event into a recordable message: `@xstate.actor` (with the
 * actor's `name`, `parentId` and its machine's `definition` as JSON, functions dropped),
 * `@xstate.event` and `@xstate.snapshot`; other kinds (`@xstate.microstep`, `@xstate.action`,
 * `@xstate.transition`) give `undefined`. Contexts, events and snapshots are made plain
 * (cycles, BigInts, functions, class instances: see `toPlain`) and redacted (see `redact`).
 * The message's `createdAt` is now. Never throws: an event it cannot read gives `undefined`.
 *
 * @param event - what `actor.system.inspect(observer)` (or the `inspect` option) receives
 * @param options - what to keep (`secrets`, `outputs`) and the depth limit
 * @returns the message, or `undefined` for a kind that is not recorded
 *
 * @example
 * ```ts
 * app.actor.system.inspect((event) => {
 *   const message = toInspectionMessage(event);
 *   if (message !== undefined) lines.push(JSON.stringify({ inspect: message }));
 * });
 * ```
 */
export function toInspectionMessage(
  event: InspectionEvent,
  options: ToInspectionMessageOptions = {},
): InspectionMessage | undefined {
  try {
    return convert(event, options);
  } catch {
    return undefined;
  }
}

function convert(event: InspectionEvent, options: ToInspectionMessageOptions): InspectionMessage | undefined {
  const depth = options.depthLimit ?? DEFAULT_DEPTH_LIMIT;
  const ref: unknown = event.actorRef;
  const base = {
    sessionId: stringOf(read(ref, 'sessionId')) ?? '',
    rootId: stringOf(event.rootId),
    createdAt: Date.now().toString(),
    id: null,
    _version: STATELY_PROTOCOL_VERSION,
  };
  switch (event.type) {
    case '@xstate.actor':
      return actorMessage(ref, base, options, depth);
    case '@xstate.event':
      return {
        ...base,
        type: '@xstate.event',
        sourceId: stringOf(read(event.sourceRef, 'sessionId')),
        event: eventObject(event.event, options, depth),
      };
    case '@xstate.snapshot':
      return {
        ...base,
        type: '@xstate.snapshot',
        event: eventObject(event.event, options, depth),
        snapshot: inspectedSnapshot(event.snapshot, options, depth),
      };
    default:
      return undefined;
  }
}

type Base = Pick<ActorMessage, 'sessionId' | 'rootId' | 'createdAt' | 'id' | '_version'>;

function actorMessage(ref: unknown, base: Base, options: ToInspectionMessageOptions, depth: number): ActorMessage {
  const config = read(read(ref, 'logic'), 'config');
  const configId = stringOf(read(config, 'id'));
  let name = stringOf(read(ref, 'id')) ?? base.sessionId;
  // Stately's rule: an actor without an id of its own is named after its machine.
  if (name === base.sessionId && configId !== undefined) name = configId;
  let snapshot: unknown;
  try {
    snapshot = (read(ref, 'getSnapshot') as (() => unknown) | undefined)?.call(ref);
  } catch {
    snapshot = undefined;
  }
  return {
    ...base,
    type: '@xstate.actor',
    name,
    parentId: stringOf(read(read(ref, '_parent'), 'sessionId')),
    definition: definitionOf(config, name, options, depth),
    snapshot: inspectedSnapshot(snapshot, options, depth),
  };
}

/** A machine's config as JSON (functions dropped), or `{ id: name }` for logic without one. */
function definitionOf(config: unknown, name: string, options: RedactOptions, depth: number): string {
  const data = typeof config === 'object' && config !== null ? toPlain(config, depth) : { id: name };
  return JSON.stringify(redact(data ?? null, options));
}

function eventObject(
  event: unknown,
  options: RedactOptions,
  depth: number,
): { readonly type: string; readonly [key: string]: unknown } {
  const data = redact(toPlain(event, depth) ?? null, options);
  if (typeof data === 'object' && data !== null && !Array.isArray(data) && typeof data['type'] === 'string') {
    return { ...data, type: data['type'] };
  }
  return { type: typeof data === 'string' ? data : 'unknown' };
}

/** The parts of a snapshot a message shows: status, value, context and output (when kept). */
function inspectedSnapshot(snapshot: unknown, options: RedactOptions, depth: number): InspectedSnapshot {
  const status = read(snapshot, 'status');
  const out: { status?: NonNullable<InspectedSnapshot['status']>; value?: PlainValue; context?: PlainValue; output?: PlainValue } = {};
  if (STATUSES.has(status)) out.status = status as NonNullable<InspectedSnapshot['status']>;
  const value = toPlain(read(snapshot, 'value'), depth);
  if (value !== undefined) out.value = value;
  const context = toPlain(read(snapshot, 'context'), depth);
  if (context !== undefined) out.context = redact(context, options);
  if (options.outputs === true) {
    const output = toPlain(read(snapshot, 'output'), depth);
    if (output !== undefined) out.output = output;
  }
  return out;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
