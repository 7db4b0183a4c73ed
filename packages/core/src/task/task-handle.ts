/**
 * The handle through which a supervisor drives one task machine: it creates the task's actor,
 * sends it the commands a supervisor may send (stop, release, hold, resume, deny) and reads what
 * a supervisor may read. A supervisor stops a task only through this handle; the task stops its
 * own attempt.
 */
import { createActor } from 'xstate';
import type { Actor, AnyActorRef } from 'xstate';
import type { LiveAttempt } from '../attempt/live-attempt.ts';
import type { RestartExplanation, TerminateReason } from '../events.ts';
import { taskLogic } from './task-machine.ts';
import type { StopRequest, TaskMachineInput, TaskPolicy } from './task-types.ts';

/** A task machine's actor. */
export type TaskActor = Actor<typeof taskLogic>;

/**
 * One task machine, as its supervisor sees it.
 *
 * @example
 * ```ts
 * const task = new TaskHandle(supervisorActor, input); // the actor is named by its path
 * task.start();
 * task.stop('user-requested', 5_000, 'exit');
 * ```
 */
export class TaskHandle {
  /** The task machine's actor (the inspector names it by the task's path). */
  readonly actor: TaskActor;
  /** The task's resolved policy. */
  readonly policy: TaskPolicy;
  /** The task's live attempt handles (pid, control), for the child's public handle. */
  readonly live: LiveAttempt;

  /** Creates the task machine's actor, with the supervisor's actor as its XState parent. */
  constructor(parent: AnyActorRef, input: TaskMachineInput) {
    this.actor = createActor(taskLogic, { parent, id: input.path, systemId: input.path, input });
    this.policy = input.policy;
    this.live = this.actor.getSnapshot().context.live;
  }

  /** Starts the task machine. */
  start(): void {
    this.actor.start();
  }

  /** Asks the task to stop its attempt: `then` says whether it ends, restarts or waits. */
  stop(reason: TerminateReason, graceMs: number, then: StopRequest['then']): void {
    this.actor.send({ type: 'task.stop', reason, graceMs: Math.max(0, graceMs), then });
  }

  /** Whether the task waits in `idle` for its dependencies. */
  get gated(): boolean {
    const snapshot = this.actor.getSnapshot();
    return snapshot.status === 'active' && snapshot.context.gated;
  }

  /** Lets a task that waits for its dependencies start. */
  release(): void {
    this.actor.send({ type: 'task.release' });
  }

  /** A failed task waits in `backoff` until {@link resume} (a strategy restart). */
  hold(): void {
    this.actor.send({ type: 'task.hold' });
  }

  /** A task held in `backoff` starts its restart. */
  resume(): void {
    this.actor.send({ type: 'task.resume' });
  }

  /** The supervisor will not restart the failed task: it ends `failed`. */
  deny(explanation: RestartExplanation): void {
    this.actor.send({ type: 'task.deny', explanation });
  }
}
