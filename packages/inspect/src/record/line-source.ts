/**
 * The lines of a recording, from a live supervisor: the header (the tree now), then each event
 * through a bounded `subscribe()`, the XState inspection messages when asked (bounded too), and
 * `SubscriberOverflow` lines for the source's own drops. The recorder writes them to a file;
 * the live viewer relays them to a browser.
 *
 * @module
 */
import type { Supervisor, SupervisorEvent } from '@statevisor/core';
import { Subscription } from 'rxjs';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { RECORDING_FORMAT, RECORDING_VERSION } from '../format/recording-format.ts';
import type { RecordingHeader, RecordingLine } from '../format/recording-format.ts';
import { toInspectionMessage } from '../format/to-inspection-message.ts';
import { toPlain } from '../format/to-plain.ts';
import { HandoverQueue, type LineConsumer } from './handover-queue.ts';
import { resolveRecordOptions, type RecordOptions } from './line-options.ts';
import { existingActors } from './existing-actors.ts';

/**
 * What a line source has handed over and lost. `written` and `dropped` count events (so, in
 * the end, `written + dropped` = the events published to it); `inspectWritten` and
 * `inspectDropped` count inspection messages.
 *
 * @example
 * ```ts
 * const { written, dropped } = source.stats();
 * ```
 */
export interface LineSourceStats {
  readonly written: number;
  readonly dropped: number;
  readonly inspectWritten: number;
  readonly inspectDropped: number;
}

/**
 * A running source of recording lines.
 *
 * @example
 * ```ts
 * const source = createLineSource(app, { inspect: true }, (text) => socket.send(text));
 * await app.shutdown();
 * await source.done; // events$ completed and every line was handed over
 * ```
 */
export interface LineSource {
  /** The subscriber name (in `SubscriberOverflow` lines; inspection drops are `<name>#inspect`). */
  readonly name: string;
  /** The header line's value (the first line handed over). */
  readonly header: RecordingHeader;
  /**
   * Settles once the source has ended (after `events$` completed, or `stop()`) and every line it
   * took was handed over; rejects with the consumer's error if it threw or rejected (which ends
   * the source at once).
   */
  readonly done: Promise<void>;
  /**
   * Leaves now: the subscription and the inspection observer are removed, events still in the
   * subscription's buffer are discarded, and what was already taken is handed over (with a last
   * `SubscriberOverflow` line for drops not yet reported). Returns `done`. Idempotent.
   */
  stop(): Promise<void>;
  /** Counts so far. */
  stats(): LineSourceStats;
}

/**
 * Starts producing a recording's lines from `app`, synchronously: the header (with
 * `app.snapshot()` taken now) is the first line, and no later event or inspection message is
 * missed. Each line is given to `consumer` as its JSON text (no newline) and its value; a
 * promise it returns is awaited before the next line. Events wait in the subscription's buffer
 * and inspection messages in a queue, each bounded by `capacity`; what does not fit is dropped,
 * and the drop is handed over as a `SubscriberOverflow` line (`subscriber: name` for events,
 * `<name>#inspect` for inspection messages; `seq` is that of the last event handed before it,
 * 0 if none) before the next line, and at the end. With `inspect`, the actors that already
 * exist (at least the root) are described by a synthesized `@xstate.actor` message first.
 *
 * @param app - the supervisor to record
 * @param options - `inspect`, `secrets`, `outputs`, `capacity`, `name` (see `RecordOptions`)
 * @param consumer - receives each line
 * @returns the running source
 * @throws ConfigError naming the field when an option is invalid (nothing is started then)
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const source = createLineSource(app, { inspect: true }, (text) => { lines.push(text); });
 * await app.start();
 * await app.shutdown();
 * await source.done;
 * ```
 */
export function createLineSource(
  app: Supervisor,
  options: RecordOptions | undefined,
  consumer: LineConsumer<RecordingHeader | RecordingLine>,
): LineSource {
  const { inspect, secrets, outputs, capacity, name } = resolveRecordOptions(options);
  const redaction = { secrets, outputs };
  // A consumer that fails ends the source (told in a microtask, so `end` exists by then).
  const queue = new HandoverQueue<RecordingHeader | RecordingLine>(consumer, () => void end());
  const root = app.name;
  const inspectName = `${name}#inspect`;
  let lastSeq = 0;
  let written = 0;
  let inspectWritten = 0;
  let inspectPending = 0;
  let inspectDropped = 0;
  let reportedDropped = 0;
  let reportedInspectDropped = 0;
  let ended = false;

  const header: RecordingHeader = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    startedAt: Date.now(),
    snapshot: app.snapshot(),
  };
  queue.push(encode(header));

  const overflow = (subscriber: string, dropped: number): void => {
    const line: SupervisorEvent = { kind: 'SubscriberOverflow', subscriber, dropped, seq: lastSeq, at: Date.now(), task: root };
    queue.push(encode(line));
  };
  const reportDrops = (): void => {
    const dropped = subscription.stats().dropped;
    if (dropped > reportedDropped) {
      overflow(name, dropped - reportedDropped);
      reportedDropped = dropped;
    }
    if (inspectDropped > reportedInspectDropped) {
      overflow(inspectName, inspectDropped - reportedInspectDropped);
      reportedInspectDropped = inspectDropped;
    }
  };

  const subscription = app.subscribe({
    name,
    capacity,
    next: (event) => {
      if (ended) return undefined;
      reportDrops();
      lastSeq = event.seq;
      const counted = (): void => {
        if (queue.failure === undefined) written++;
      };
      // Like a stream's high-water mark: while fewer than `capacity` lines wait for the consumer,
      // the event is taken at once, so events and inspection messages keep the order they came
      // in. Beyond it, the bus holds the next events in this subscriber's own bounded buffer.
      if (queue.pending < capacity) {
        queue.push(encode(event), counted);
        return undefined;
      }
      return new Promise<void>((resolve) => {
        queue.push(encode(event), () => {
          counted();
          resolve();
        });
      });
    },
  });

  const takeInspection = (event: InspectionEvent): void => {
    if (ended || queue.failure !== undefined) return;
    if (event.type !== '@xstate.actor' && event.type !== '@xstate.event' && event.type !== '@xstate.snapshot') return;
    if (inspectPending >= capacity) {
      inspectDropped++;
      return;
    }
    const message = toInspectionMessage(event, redaction);
    if (message === undefined) return;
    reportDrops();
    inspectPending++;
    queue.push(encode({ inspect: message }), () => {
      inspectPending--;
      if (queue.failure === undefined) inspectWritten++;
    });
  };

  let inspection: { unsubscribe(): void } | undefined;
  if (inspect) {
    const actor: AnyActorRef = app.actor;
    inspection = actor.system.inspect(takeInspection);
    for (const ref of existingActors(actor)) takeInspection({ type: '@xstate.actor', actorRef: ref, rootId: actor.sessionId });
  }

  let resolveDone: () => void = () => undefined;
  let rejectDone: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // `done` may be left unobserved by a caller that only calls stop(): never an unhandled rejection.
  done.catch(() => undefined);

  const completion = new Subscription();
  const end = (): Promise<void> => {
    if (ended) return done;
    ended = true;
    subscription.unsubscribe();
    inspection?.unsubscribe();
    completion.unsubscribe();
    reportDrops();
    void queue.idle().then(() => {
      const failure = queue.failure;
      if (failure === undefined) resolveDone();
      else rejectDone(failure.error);
    });
    return done;
  };

  // The bus completes events$ after its drain: everything this source will get is in by then.
  // (When events$ has already completed, end() runs inside subscribe and the add is undone at once.)
  completion.add(app.events$.subscribe({ complete: () => void end() }));

  return {
    name,
    header,
    done,
    stop: end,
    stats: () => ({
      written,
      dropped: subscription.stats().dropped,
      inspectWritten,
      inspectDropped,
    }),
  };
}

/** A line's JSON text; a value JSON.stringify refuses is made plain first. */
function encode<T extends RecordingHeader | RecordingLine>(value: T): { text: string; value: T } {
  try {
    return { text: JSON.stringify(value), value };
  } catch {
    return { text: JSON.stringify(toPlain(value) ?? null), value };
  }
}
