/**
 * The recording format (DESIGN.md §6): JSONL, one JSON value per line. The first line is a
 * {@link RecordingHeader}; every later line is either a {@link SupervisorEvent} (the event's own
 * JSON) or an {@link InspectLine} (`{ "inspect": <message> }`). The live viewer's WebSocket
 * speaks the same lines, so one reader serves a file and a live tree.
 *
 * @module
 */
import type { NodeSnapshot, SupervisorEvent } from '@statevisor/core';
import type { InspectionMessage } from './inspection-message.ts';

/** The `format` field of every recording's header. */
export const RECORDING_FORMAT = 'statevisor-recording';

/** The version of the format this package writes and reads. */
export const RECORDING_VERSION = 1;

/**
 * The first line of a recording.
 *
 * @example
 * ```ts
 * const header: RecordingHeader = {
 *   format: 'statevisor-recording',
 *   version: 1,
 *   startedAt: Date.now(),
 *   snapshot: app.snapshot(),
 * };
 * ```
 */
export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: typeof RECORDING_VERSION;
  /** Wall-clock time the recording began, epoch milliseconds. */
  readonly startedAt: number;
  /** The tree when the recording began (`app.snapshot()`). */
  readonly snapshot: NodeSnapshot;
}

/**
 * A line that carries one XState inspection message (written with `{ inspect: true }`).
 *
 * @example
 * ```ts
 * const line: InspectLine = { inspect: { type: '@xstate.snapshot', sessionId: 'x:1', ... } };
 * ```
 */
export interface InspectLine {
  readonly inspect: InspectionMessage;
}

/**
 * Any line after the header.
 *
 * @example
 * ```ts
 * function describe(line: RecordingLine): string {
 *   return 'inspect' in line ? line.inspect.type : line.kind;
 * }
 * ```
 */
export type RecordingLine = SupervisorEvent | InspectLine;

/**
 * Whether a body line is an inspection line.
 *
 * @example
 * ```ts
 * if (isInspectLine(line)) replay(line.inspect);
 * ```
 */
export function isInspectLine(line: RecordingLine): line is InspectLine {
  return 'inspect' in line;
}
