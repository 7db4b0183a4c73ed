/**
 * See a Statevisor supervision tree without internet: record its events (and XState inspection
 * messages) to a JSONL file, read them back, serve an offline viewer of a live tree or of a
 * recording, and replay a recording into a Stately inspector.
 *
 * @example
 * ```ts
 * import { createSupervisor, task } from '@statevisor/core';
 * import { record, serveViewer } from '@statevisor/inspect';
 *
 * const app = createSupervisor({ name: 'app', children: [task('hello', async () => 'world')] });
 * const recording = record(app, 'run.jsonl', { inspect: true });
 * const viewer = await serveViewer(app);
 * console.log(`watch it at ${viewer.url}`);
 * await app.start();
 * await app.shutdown();
 * await recording.stop();
 * await viewer.close();
 * ```
 *
 * @packageDocumentation
 */
export { RECORDING_FORMAT, RECORDING_VERSION, isInspectLine } from './format/recording-format.ts';
export type { InspectLine, RecordingHeader, RecordingLine } from './format/recording-format.ts';
export type {
  ActorMessage,
  EventMessage,
  InspectedSnapshot,
  InspectionMessage,
  SnapshotMessage,
} from './format/inspection-message.ts';
export { RecordingFormatError, RecordingNotFoundError, ViewerNotBuiltError } from './errors.ts';
export { serveViewer } from './server/serve-viewer.ts';
export type { ViewerServer, ViewerStats } from './server/serve-viewer.ts';
export type { ViewerOptions } from './server/viewer-options.ts';
export { toInspectionMessage, STATELY_PROTOCOL_VERSION } from './format/to-inspection-message.ts';
export type { ToInspectionMessageOptions } from './format/to-inspection-message.ts';
export { REDACTED, redact } from './format/redact.ts';
export type { RedactOptions } from './format/redact.ts';
export type { PlainValue } from './format/to-plain.ts';
export { createLineSource } from './record/line-source.ts';
export type { LineSource, LineSourceStats } from './record/line-source.ts';
export type { LineConsumer, QueuedLine } from './record/handover-queue.ts';
export type { RecordOptions } from './record/line-options.ts';
export { record } from './record/record.ts';
export type { Recorder } from './record/record.ts';
export { readRecording, readRecordingHeader } from './read/read-recording.ts';
export type { ReadRecordingOptions } from './read/read-recording.ts';
export { replayToInspector } from './replay/replay-to-inspector.ts';
export type { InspectorLike } from './replay/replay-to-inspector.ts';
