/**
 * The heartbeat watchdog of one attempt (the child option `heartbeatTimeoutMs`): it fires when no
 * heartbeat has come for `timeoutMs` since the attempt started or since the last heartbeat.
 *
 * Cost notes: one timer per attempt, never one per heartbeat. A heartbeat only records the time;
 * when the timer fires early (a heartbeat came meanwhile), it is armed again for what is left.
 */
import type { Clock, TimerHandle } from '../clock.ts';
import { cancelTimer } from '../clock.ts';
import type { EventDraft } from '../events.ts';

/** One attempt's watchdog, armed when it is made; {@link HeartbeatWatchdog.stop} ends it. */
export class HeartbeatWatchdog {
  readonly #clock: Clock;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #onMissed: (silentMs: number) => void;
  /** The time of the last heartbeat (or of the start). */
  #last: number;
  #timer: TimerHandle = undefined;

  /**
   * Arms the watchdog on `clock`: `onMissed(silentMs)` runs once (outside any machine step) when
   * no {@link beat} has come for `timeoutMs`.
   */
  constructor(clock: Clock, now: () => number, timeoutMs: number, onMissed: (silentMs: number) => void) {
    this.#clock = clock;
    this.#now = now;
    this.#timeoutMs = timeoutMs;
    this.#onMissed = onMissed;
    this.#last = now();
    this.#arm(timeoutMs);
  }

  /** The attempt is alive: records the time (no timer is touched). */
  beat(): void {
    this.#last = this.#now();
  }

  /** Ends the watchdog (its attempt ended, or a stop began). */
  stop(): void {
    this.#timer = cancelTimer(this.#clock, this.#timer);
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#check();
    }, ms);
  }

  #check(): void {
    const silentMs = this.#now() - this.#last;
    if (silentMs < this.#timeoutMs) this.#arm(this.#timeoutMs - silentMs);
    else this.#onMissed(silentMs);
  }
}

/** What {@link watchHeartbeat} needs to know about the child. */
export interface HeartbeatSetup {
  readonly clock: Clock;
  readonly now: () => number;
  /** Publishes at once (the watchdog fires outside any machine step). */
  readonly publishNow: (draft: EventDraft) => void;
  readonly path: string;
  readonly heartbeatTimeoutMs: number;
}

/** The part of the task's live handles the watchdog uses (see `LiveAttempt`). */
export interface WatchedAttempt {
  watchdog: HeartbeatWatchdog | undefined;
}

/**
 * Arms the heartbeat watchdog of attempt `attempt`. When it fires it publishes
 * `HealthCheckFailed { probe: 'heartbeat' }` at once, then calls `onMissed(reason)`: the
 * machine's step stops the attempt, as a timeout does.
 */
export function watchHeartbeat(
  setup: HeartbeatSetup,
  live: WatchedAttempt,
  attempt: number,
  onMissed: (reason: string) => void,
): HeartbeatWatchdog {
  const { path, heartbeatTimeoutMs } = setup;
  return new HeartbeatWatchdog(setup.clock, setup.now, heartbeatTimeoutMs, (silentMs) => {
    live.watchdog = undefined;
    const reason = `no heartbeat for ${silentMs}ms (heartbeatTimeoutMs ${heartbeatTimeoutMs})`;
    setup.publishNow({ kind: 'HealthCheckFailed', task: path, attempt, probe: 'heartbeat', reason, failures: 1 });
    onMissed(reason);
  });
}
