/**
 * Sends a recording's inspection messages to a Stately inspector, so a run recorded offline can
 * be looked at in the Stately inspector later.
 *
 * @module
 */
import type { InspectionMessage } from '../format/inspection-message.ts';
import { readRecording } from '../read/read-recording.ts';

/**
 * What {@link replayToInspector} needs of an inspector: any @statelyai/inspect inspector
 * (`createInspector`, `createWebSocketInspector`, `createBrowserInspector`) has an `adapter`
 * with `send`.
 *
 * @example
 * ```ts
 * const capture: InspectorLike = { adapter: { send: (message) => messages.push(message) } };
 * ```
 */
export interface InspectorLike {
  readonly adapter: { send(message: InspectionMessage): void };
}

/**
 * Sends every inspection message of a recording (one made with `{ inspect: true }`), in
 * recorded order, to `inspector.adapter.send`. The messages are already in Stately's shape, so
 * the inspector shows the recorded machines under their recorded names (a task machine under
 * its path, an attempt as `<path>#<attempt>`) with their definitions and states. A recording
 * made without `inspect` has none: it resolves with 0.
 *
 * @param file - the recording
 * @param inspector - any @statelyai/inspect inspector (or an object with `adapter.send`)
 * @returns how many messages were sent
 * @throws RecordingFormatError when the file is not a recording (see `readRecording`)
 *
 * @example
 * ```ts
 * import { createWebSocketInspector } from '@statelyai/inspect';
 * import { replayToInspector } from '@statevisor/inspect';
 *
 * const inspector = createWebSocketInspector();
 * const sent = await replayToInspector('run.jsonl', inspector);
 * console.log(`${sent} messages replayed`);
 * ```
 */
export async function replayToInspector(file: string, inspector: InspectorLike): Promise<number> {
  let sent = 0;
  for await (const line of readRecording(file, { inspect: true })) {
    if (!('inspect' in line)) continue;
    inspector.adapter.send(line.inspect);
    sent++;
  }
  return sent;
}
