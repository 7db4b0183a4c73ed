/**
 * Admission slots (DESIGN.md §3 "Admission slots"): `app.submit(spec, { slot, admission })`.
 *
 * A slot runs one submission at a time. `queue` waits in FIFO order (at most `maxSlotQueue`
 * waiting), `replace` removes the occupant and takes the head of the queue, `drop-if-running`
 * is refused while the slot is busy. The next submission starts only after the occupant's
 * terminal cleanup (its `TaskRemoved`), never on a mere remove request.
 *
 * The controller knows nothing of machines: it talks to its supervisor through the narrow
 * {@link ControllerHost} (slot-host.ts), so it can be tested against a fake host. The submit
 * options and their validation are in submit-options.ts, a slot's data in slot.ts.
 * docs/controller.md has the decisions this file implements.
 */
import { ControllerRejectedError, ShuttingDownError, TaskAlreadyExistsError } from '../errors.ts';
import { asPromise, describeThrown } from '../foreign.ts';
import type { TaskOutcome } from '../outcome.ts';
import type { ChildSpec } from '../spec/supervisor-options.ts';
import type { Occupant, RejectReason, Slot, SlotView, Waiting } from './slot.ts';
import type { ControllerHost } from './slot-host.ts';
import type { SubmitOptions } from './submit-options.ts';

/**
 * The admission slots of one supervisor.
 *
 * @example
 * ```ts
 * const slots = new SlotController(host, 100);
 * const path = await slots.submit(spec, { slot: 'import', admission: 'queue' });
 * slots.depth('import'); // submissions waiting behind the occupant
 * ```
 */
export class SlotController {
  readonly #host: ControllerHost;
  readonly #maxSlotQueue: number;
  /** Slots with an occupant or waiting submissions; an idle, empty slot is forgotten. */
  readonly #slots = new Map<string, Slot>();
  #closed = false;
  #order = 0;

  /**
   * @param host - the supervisor side
   * @param maxSlotQueue - how many `queue` submissions may wait per slot (a `replace` ignores it)
   */
  constructor(host: ControllerHost, maxSlotQueue: number) {
    this.#host = host;
    this.#maxSlotQueue = maxSlotQueue;
  }

  /** True once `rejectAll()` ran: every later `submit` rejects with ShuttingDownError. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Admits `spec` to `options.slot`. Resolves with the path once it is started or queued;
   * rejects with ControllerRejectedError (queue-full, slot-busy), TaskAlreadyExistsError (a live
   * child has the name, idle slot) or ShuttingDownError. Never throws.
   */
  submit(spec: ChildSpec, options: SubmitOptions): Promise<string> {
    return asPromise(() => this.#submit(spec, options));
  }

  /**
   * Takes the newest waiting submission named `name` out of its queue: ControllerRejected
   * (removed-from-queue), its outcome rejected. False when no submission of that name waits.
   */
  cancelQueued(name: string): boolean {
    const found = this.#newest((item) => item.spec.name === name);
    if (found === undefined) return false;
    const [slot, item] = found;
    slot.queue.splice(slot.queue.indexOf(item), 1);
    this.#reject(item, 'removed-from-queue');
    this.#forgetIfIdle(slot);
    return true;
  }

  /** Whether a submission named `name` waits in some slot. */
  isQueued(name: string): boolean {
    return this.#newest((item) => item.spec.name === name) !== undefined;
  }

  /**
   * The outcome of the newest submission waiting at `path`, or undefined when none waits. It
   * resolves `{ kind: 'rejected', ... }` if the submission never starts, otherwise with the
   * outcome of the child it becomes.
   */
  outcomeOf(path: string): Promise<TaskOutcome> | undefined {
    const item = this.#newest((waiting) => waiting.path === path)?.[1];
    if (item === undefined) return undefined;
    if (item.outcome === undefined) {
      let resolve!: (value: TaskOutcome | Promise<TaskOutcome>) => void;
      const promise = new Promise<TaskOutcome>((r) => {
        resolve = r;
      });
      item.outcome = { promise, resolve };
    }
    return item.outcome.promise;
  }

  /** Shutdown: closes admission and rejects every waiting submission (shutting-down), slot by slot, FIFO. */
  rejectAll(): void {
    this.#closed = true;
    for (const slot of [...this.#slots.values()]) {
      const waiting = slot.queue;
      slot.queue = [];
      for (const item of waiting) this.#reject(item, 'shutting-down');
      this.#forgetIfIdle(slot);
    }
  }

  /** How many submissions wait in `slot` (the occupant is not counted). */
  depth(slot: string): number {
    return this.#slots.get(slot)?.queue.length ?? 0;
  }

  /** How many submissions wait in all slots together. */
  totalDepth(): number {
    let total = 0;
    for (const slot of this.#slots.values()) total += slot.queue.length;
    return total;
  }

  /** Every slot with an occupant or waiting submissions, in order of first use. */
  view(): SlotView[] {
    return [...this.#slots.values()].map((slot) => ({
      slot: slot.key,
      state: slot.state,
      occupant: slot.occupant?.path,
      waiting: slot.queue.map((item) => item.path),
    }));
  }

  // internals --------------------------------------------------------------------------------

  #submit(spec: ChildSpec, options: SubmitOptions): string {
    if (this.#closed) throw new ShuttingDownError();
    const { slot: key, admission } = options;
    const path = this.#host.pathOf(spec.name);
    const existing = this.#slots.get(key);
    // Idle with waiting submissions happens only while the slot hands over to its next one
    // (a subscriber submitting from inside that): such a slot counts as busy.
    if (existing === undefined || (existing.state === 'idle' && existing.queue.length === 0)) {
      const slot = existing ?? this.#slotOf(key);
      try {
        this.#admit(slot, spec, path);
      } catch (error) {
        if (error instanceof ShuttingDownError) this.rejectAll();
        // Anything submitted from inside the failed add waits: hand over to it.
        this.#advance(slot);
        throw error;
      }
      this.#host.publish({ kind: 'ControllerSubmitted', task: path, slot: key, admission, depth: 0 });
      this.#occupy(slot);
      return path;
    }
    const slot = existing;
    const item: Waiting = { spec, path, slot: key, admission, order: ++this.#order, outcome: undefined };
    switch (admission) {
      case 'drop-if-running':
        throw this.#refuse(item, 'slot-busy');
      case 'queue':
        if (slot.queue.length >= this.#maxSlotQueue) throw this.#refuse(item, 'queue-full');
        slot.queue.push(item);
        this.#host.publish({ kind: 'ControllerSubmitted', task: path, slot: key, admission, depth: slot.queue.length });
        return path;
      case 'replace': {
        // The replacement takes the head: whoever waited there (an earlier replacement, or the
        // oldest queued submission) is superseded; the rest of the FIFO stays behind it.
        const displaced = slot.queue.shift();
        slot.queue.unshift(item);
        this.#host.publish({ kind: 'ControllerSubmitted', task: path, slot: key, admission, depth: slot.queue.length });
        if (displaced !== undefined) this.#reject(displaced, 'superseded');
        this.#terminate(slot);
        return path;
      }
    }
  }

  #slotOf(key: string): Slot {
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      slot = { key, state: 'idle', occupant: undefined, queue: [] };
      this.#slots.set(key, slot);
    }
    return slot;
  }

  /** The newest waiting submission that matches, with its slot. */
  #newest(match: (item: Waiting) => boolean): [Slot, Waiting] | undefined {
    let found: [Slot, Waiting] | undefined;
    for (const slot of this.#slots.values()) {
      for (const item of slot.queue) {
        if (match(item) && (found === undefined || item.order > found[1].order)) found = [slot, item];
      }
    }
    return found;
  }

  /**
   * Adds the child to the idle slot. The slot counts as busy during `host.add` (a subscriber
   * may submit from inside it); on a refusal it is idle again and the error propagates.
   */
  #admit(slot: Slot, spec: ChildSpec, path: string): void {
    slot.state = 'running';
    slot.occupant = { name: spec.name, path, admitting: true, terminateWhenAdmitted: false, gone: false };
    try {
      this.#host.add(spec);
    } catch (error) {
      slot.state = 'idle';
      slot.occupant = undefined;
      throw error;
    }
  }

  /** Publishes idle → running for the admitted occupant and watches for its TaskRemoved. */
  #occupy(slot: Slot): void {
    const occupant = slot.occupant;
    if (occupant === undefined) return;
    // Registered before anything is published: a subscriber may remove the child at once.
    this.#host.onRemoved(occupant.name, () => {
      if (slot.occupant !== occupant || occupant.gone) return;
      occupant.gone = true;
      queueMicrotask(() => {
        this.#vacate(slot, occupant);
      });
    });
    occupant.admitting = false;
    this.#host.publish({ kind: 'ControllerSlotTransition', task: occupant.path, slot: slot.key, from: 'idle', to: 'running' });
    if (occupant.terminateWhenAdmitted) this.#terminate(slot);
  }

  /** Running → terminating: asks the occupant to go, once per occupant. */
  #terminate(slot: Slot): void {
    const occupant = slot.occupant;
    if (occupant === undefined || slot.state !== 'running') return;
    if (occupant.admitting) {
      // A replace from inside the occupant's own add: it goes once it is announced.
      occupant.terminateWhenAdmitted = true;
      return;
    }
    slot.state = 'terminating';
    this.#host.publish({ kind: 'ControllerSlotTransition', task: occupant.path, slot: slot.key, from: 'running', to: 'terminating' });
    // False when it is already being removed (by the user, or it ended): its TaskRemoved
    // frees the slot all the same, and no second removal is asked for.
    if (!occupant.gone) this.#host.remove(occupant.name);
  }

  /** The occupant's terminal cleanup is done: the slot goes idle and the next waiting submission starts. */
  #vacate(slot: Slot, occupant: Occupant): void {
    if (slot.occupant !== occupant) return;
    const from = slot.state;
    slot.state = 'idle';
    slot.occupant = undefined;
    this.#host.publish({ kind: 'ControllerSlotTransition', task: occupant.path, slot: slot.key, from, to: 'idle' });
    this.#advance(slot);
  }

  /** Starts waiting submissions in an idle slot until one runs or none is left. */
  #advance(slot: Slot): void {
    while (slot.state === 'idle') {
      const item = slot.queue.shift();
      if (item === undefined) break;
      try {
        this.#admit(slot, item.spec, item.path);
      } catch (error) {
        if (error instanceof ShuttingDownError) {
          // Shutdown began by another route: this one and every other waiting submission go.
          this.#reject(item, 'shutting-down');
          this.rejectAll();
          break;
        }
        // A live child has the name (the host published TaskAddFailed): this submission never
        // runs, without a ControllerRejected, and the slot stays idle for the next one. Its
        // path is the live child's, so only the waiting outcome promise learns of it.
        const reason = error instanceof TaskAlreadyExistsError ? 'already-exists' : describeThrown(error);
        item.outcome?.resolve({ kind: 'rejected', reason });
        continue;
      }
      item.outcome?.resolve(this.#host.outcome(item.path));
      this.#occupy(slot);
    }
    this.#forgetIfIdle(slot);
  }

  /** A submission refused at `submit()`: ControllerRejected, and the error the call rejects with. */
  #refuse(item: Waiting, reason: RejectReason): ControllerRejectedError {
    this.#host.publish({ kind: 'ControllerRejected', task: item.path, slot: item.slot, reason });
    return new ControllerRejectedError(reason, item.slot, item.path);
  }

  /** An admitted submission that will never start: ControllerRejected, and its outcome rejected. */
  #reject(item: Waiting, reason: RejectReason): void {
    this.#refuse(item, reason);
    item.outcome?.resolve({ kind: 'rejected', reason });
    this.#host.reject(item.path, reason);
  }

  #forgetIfIdle(slot: Slot): void {
    if (slot.state === 'idle' && slot.queue.length === 0 && this.#slots.get(slot.key) === slot) this.#slots.delete(slot.key);
  }
}
