/**
 * Admission slots (DESIGN.md §3 "Admission slots", §4 controller events; taskvisor R38-R46,
 * S52-S62, S65; docs/controller.md for the details DESIGN leaves open).
 *
 * Part 1 drives `SlotController` against a fake host, so each rule is checked without machines.
 * Part 2 goes through `createSupervisor().submit` on the SimulatedClock harness.
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ControllerRejectedError,
  ShuttingDownError,
  TaskAlreadyExistsError,
  task,
} from '../src/index.ts';
import type { ChildSpec, EventDraft, SupervisorEvent, TaskOutcome, TaskSpec } from '../src/index.ts';
import { SlotController } from '../src/supervisor/admission-slots.ts';
import { validateSubmitOptions } from '../src/supervisor/submit-options.ts';
import type { ControllerHost } from '../src/supervisor/slot-host.ts';
import type { SubmitOptions } from '../src/supervisor/submit-options.ts';
import { flush, gate, harness, rejection, untilAborted } from './support.ts';

/** Lets queued microtasks run (the controller frees a slot on the microtask after TaskRemoved). */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

// ---------------------------------------------------------------------------------------------
// Part 1: SlotController against a fake host
// ---------------------------------------------------------------------------------------------

interface FakeChild {
  listeners: (() => void)[];
  removing: boolean;
}

/** A host that records what the controller asks of it; children end only when the test says so. */
class FakeHost implements ControllerHost {
  readonly events: EventDraft[] = [];
  readonly live = new Map<string, FakeChild>();
  readonly added: string[] = [];
  readonly removeCalls: string[] = [];
  readonly rejected: [string, string][] = [];
  readonly outcomes = new Map<string, Promise<TaskOutcome>>();
  closed = false;
  /** Runs inside `add`, after the child is registered (a subscriber reacting to TaskAdded). */
  duringAdd: ((name: string) => void) | undefined;
  /** `remove` ends the child synchronously (a child in backoff, or grace 0). */
  endOnRemove = false;

  add(spec: ChildSpec): string {
    if (this.closed) throw new ShuttingDownError();
    const path = this.pathOf(spec.name);
    this.events.push({ kind: 'TaskAddRequested', task: path });
    if (this.live.has(spec.name)) {
      const error = new TaskAlreadyExistsError(path);
      this.events.push({ kind: 'TaskAddFailed', task: path, reason: error.message });
      throw error;
    }
    this.live.set(spec.name, { listeners: [], removing: false });
    this.added.push(spec.name);
    this.outcomes.set(path, Promise.resolve({ kind: 'completed', output: spec.name }));
    this.events.push({ kind: 'TaskAdded', task: path });
    this.duringAdd?.(spec.name);
    return path;
  }

  remove(name: string): boolean {
    this.removeCalls.push(name);
    const child = this.live.get(name);
    if (child === undefined || child.removing) return false;
    child.removing = true;
    this.events.push({ kind: 'TaskRemoveRequested', task: this.pathOf(name) });
    if (this.endOnRemove) this.end(name);
    return true;
  }

  /** The child's terminal cleanup: TaskRemoved, then the onRemoved listeners (synchronously). */
  end(name: string): void {
    const child = this.live.get(name);
    if (child === undefined) throw new Error(`fake host: ${name} is not live`);
    this.live.delete(name);
    this.events.push({ kind: 'TaskRemoved', task: this.pathOf(name) });
    for (const listener of child.listeners) listener();
  }

  onRemoved(name: string, listener: () => void): void {
    const child = this.live.get(name);
    if (child === undefined) listener();
    else child.listeners.push(listener);
  }

  publish(draft: EventDraft): void {
    this.events.push(draft);
  }

  pathOf(name: string): string {
    return `root/${name}`;
  }

  outcome(path: string): Promise<TaskOutcome> {
    return this.outcomes.get(path) ?? Promise.reject(new Error(`fake host: no outcome for ${path}`));
  }

  reject(path: string, reason: string): void {
    this.rejected.push([path, reason]);
  }

  /** Events as compact strings, e.g. `ControllerSubmitted root/a s queue 0`. */
  log(): string[] {
    return this.events.map((event) => {
      switch (event.kind) {
        case 'ControllerSubmitted':
          return `Submitted ${event.task} ${event.slot} ${event.admission} ${event.depth}`;
        case 'ControllerRejected':
          return `Rejected ${event.task} ${event.slot} ${event.reason}`;
        case 'ControllerSlotTransition':
          return `Slot ${event.slot} ${event.from}->${event.to} ${event.task}`;
        default:
          return `${event.kind} ${event.task}`;
      }
    });
  }
}

const spec = (name: string): TaskSpec => task(name, async () => name);
const Q = (slot = 's'): SubmitOptions => ({ slot, admission: 'queue' });
const R = (slot = 's'): SubmitOptions => ({ slot, admission: 'replace' });
const D = (slot = 's'): SubmitOptions => ({ slot, admission: 'drop-if-running' });

function setup(maxSlotQueue = 100): { host: FakeHost; controller: SlotController } {
  const host = new FakeHost();
  return { host, controller: new SlotController(host, maxSlotQueue) };
}

describe('SlotController (fake host): idle admission', () => {
  it.each([['queue'], ['replace'], ['drop-if-running']] as const)(
    '%s into an idle slot: add, then Submitted depth 0, then idle->running; resolves with the path',
    async (admission) => {
      const { host, controller } = setup();
      await expect(controller.submit(spec('a'), { slot: 's', admission })).resolves.toBe('root/a');
      expect(host.log()).toEqual([
        'TaskAddRequested root/a',
        'TaskAdded root/a',
        `Submitted root/a s ${admission} 0`,
        'Slot s idle->running root/a',
      ]);
      expect(controller.view()).toEqual([{ slot: 's', state: 'running', occupant: 'root/a', waiting: [] }]);
      expect(controller.depth('s')).toBe(0);
    },
  );

  it('a name clash in an idle slot rejects with TaskAlreadyExistsError, publishes no controller event, and leaves the slot free', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('dup'), Q('s1'));
    const before = host.events.length;
    const error = await rejection(controller.submit(spec('dup'), Q('s2')));
    expect(error).toBeInstanceOf(TaskAlreadyExistsError);
    expect(host.log().slice(before)).toEqual(['TaskAddRequested root/dup', 'TaskAddFailed root/dup']);
    expect(controller.view().map((slot) => slot.slot)).toEqual(['s1']);
    // s2 is idle: a drop-if-running is admitted there.
    await expect(controller.submit(spec('other'), D('s2'))).resolves.toBe('root/other');
  });

  it('distinct slots run at the same time', async () => {
    const { host, controller } = setup();
    for (let i = 0; i < 128; i++) await controller.submit(spec(`w${i}`), Q(`s${i}`));
    expect(host.added).toHaveLength(128);
    expect(controller.view().every((slot) => slot.state === 'running' && slot.waiting.length === 0)).toBe(true);
    expect(controller.totalDepth()).toBe(0);
  });
});

describe('SlotController (fake host): queue', () => {
  it('waits FIFO; the next starts only on the microtask after the occupant TaskRemoved', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('a'), Q());
    await expect(controller.submit(spec('b'), Q())).resolves.toBe('root/b');
    await expect(controller.submit(spec('c'), Q())).resolves.toBe('root/c');
    expect(host.log().slice(-2)).toEqual(['Submitted root/b s queue 1', 'Submitted root/c s queue 2']);
    expect(controller.depth('s')).toBe(2);
    expect(host.added).toEqual(['a']);

    host.end('a');
    expect(host.added).toEqual(['a']); // not inside the TaskRemoved listener
    await microtasks();
    expect(host.added).toEqual(['a', 'b']);
    const afterA = host.log().slice(host.log().indexOf('TaskRemoved root/a'));
    expect(afterA).toEqual([
      'TaskRemoved root/a',
      'Slot s running->idle root/a',
      'TaskAddRequested root/b',
      'TaskAdded root/b',
      'Slot s idle->running root/b',
    ]);
    host.end('b');
    await microtasks();
    expect(host.added).toEqual(['a', 'b', 'c']);
    host.end('c');
    await microtasks();
    expect(host.log().at(-1)).toBe('Slot s running->idle root/c');
    expect(controller.view()).toEqual([]); // an idle, empty slot is forgotten
  });

  it('a remove request alone never frees the slot', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('a'), Q());
    await controller.submit(spec('b'), Q());
    expect(host.remove('a')).toBe(true);
    await microtasks();
    expect(host.added).toEqual(['a']);
    host.end('a');
    await microtasks();
    expect(host.added).toEqual(['a', 'b']);
  });

  it('maxSlotQueue 1: one waits, the next is refused queue-full with ControllerRejected', async () => {
    const { host, controller } = setup(1);
    await controller.submit(spec('owner'), Q());
    await expect(controller.submit(spec('p1'), Q())).resolves.toBe('root/p1');
    const error = await rejection(controller.submit(spec('p2'), Q()));
    expect(error).toBeInstanceOf(ControllerRejectedError);
    expect(error).toMatchObject({ code: 'ERR_CONTROLLER_REJECTED', reason: 'queue-full', slot: 's', path: 'root/p2' });
    expect(host.log().slice(-2)).toEqual(['Submitted root/p1 s queue 1', 'Rejected root/p2 s queue-full']);
    // Refused at submit(): no outcome record is made for it.
    expect(host.rejected).toEqual([]);
    expect(controller.depth('s')).toBe(1);
  });

  it('maxSlotQueue 0: every queue behind a busy slot is refused, while replace is still accepted', async () => {
    const { host, controller } = setup(0);
    await controller.submit(spec('owner'), Q());
    await expect(controller.submit(spec('q'), Q())).rejects.toMatchObject({ reason: 'queue-full' });
    await expect(controller.submit(spec('r'), R())).resolves.toBe('root/r');
    expect(controller.depth('s')).toBe(1);
    expect(host.removeCalls).toEqual(['owner']);
  });
});

describe('SlotController (fake host): drop-if-running', () => {
  it('is refused slot-busy while the slot runs, and the occupant is untouched', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('first'), Q());
    const error = await rejection(controller.submit(spec('second'), D()));
    expect(error).toMatchObject({ name: 'ControllerRejectedError', reason: 'slot-busy', slot: 's', path: 'root/second' });
    expect(host.log().at(-1)).toBe('Rejected root/second s slot-busy');
    expect(host.added).toEqual(['first']);
    expect(host.removeCalls).toEqual([]);
  });

  it('is refused while the slot is terminating, too', async () => {
    const { controller } = setup();
    await controller.submit(spec('first'), Q());
    await controller.submit(spec('next'), R());
    await expect(controller.submit(spec('third'), D())).rejects.toMatchObject({ reason: 'slot-busy' });
  });
});

describe('SlotController (fake host): replace', () => {
  it('of a running occupant: Submitted, running->terminating, one removal; the replacement starts after TaskRemoved', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('run-1'), R());
    const before = host.events.length;
    await expect(controller.submit(spec('run-2'), R())).resolves.toBe('root/run-2');
    expect(host.log().slice(before)).toEqual([
      'Submitted root/run-2 s replace 1',
      'Slot s running->terminating root/run-1',
      'TaskRemoveRequested root/run-1',
    ]);
    expect(controller.view()).toEqual([{ slot: 's', state: 'terminating', occupant: 'root/run-1', waiting: ['root/run-2'] }]);
    await microtasks();
    expect(host.added).toEqual(['run-1']);
    host.end('run-1');
    await microtasks();
    expect(host.added).toEqual(['run-1', 'run-2']);
    expect(host.log().slice(-4)).toEqual([
      'Slot s terminating->idle root/run-1',
      'TaskAddRequested root/run-2',
      'TaskAdded root/run-2',
      'Slot s idle->running root/run-2',
    ]);
  });

  it('chain: the latest wins, earlier waiting replacements are superseded, the owner is removed once', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('owner'), Q());
    await controller.submit(spec('A'), R());
    await controller.submit(spec('B'), R());
    await controller.submit(spec('C'), R());
    expect(host.log().filter((line) => line.startsWith('Rejected'))).toEqual([
      'Rejected root/A s superseded',
      'Rejected root/B s superseded',
    ]);
    expect(host.rejected).toEqual([
      ['root/A', 'superseded'],
      ['root/B', 'superseded'],
    ]);
    expect(host.removeCalls).toEqual(['owner']);
    expect(host.log().filter((line) => line.includes('->terminating'))).toHaveLength(1);
    expect(controller.view()[0]?.waiting).toEqual(['root/C']);
    host.end('owner');
    await microtasks();
    expect(host.added).toEqual(['owner', 'C']);
  });

  it('keeps the FIFO tail: the head is superseded, the rest stays behind the replacement', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('owner'), Q());
    await controller.submit(spec('q1'), Q());
    await controller.submit(spec('q2'), Q());
    await controller.submit(spec('r'), R());
    expect(host.log().slice(-4)).toEqual([
      'Submitted root/r s replace 2',
      'Rejected root/q1 s superseded',
      'Slot s running->terminating root/owner',
      'TaskRemoveRequested root/owner',
    ]);
    expect(controller.view()[0]?.waiting).toEqual(['root/r', 'root/q2']);
    host.end('owner');
    await microtasks();
    host.end('r');
    await microtasks();
    expect(host.added).toEqual(['owner', 'r', 'q2']);
  });

  it('of an occupant already being removed asks for no second removal, and still waits for its TaskRemoved', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('owner'), Q());
    host.remove('owner'); // the user removed it first
    await controller.submit(spec('r'), R());
    expect(host.events.filter((event) => event.kind === 'TaskRemoveRequested')).toHaveLength(1);
    expect(controller.view()[0]?.state).toBe('terminating');
    await microtasks();
    expect(host.added).toEqual(['owner']);
    host.end('owner');
    await microtasks();
    expect(host.added).toEqual(['owner', 'r']);
  });

  it('whose removal ends the occupant synchronously still starts the replacement only after, on a microtask', async () => {
    const { host, controller } = setup();
    host.endOnRemove = true;
    await controller.submit(spec('owner'), Q());
    const submitted = controller.submit(spec('r'), R());
    expect(host.added).toEqual(['owner']);
    await submitted;
    await microtasks();
    expect(host.log().slice(-8)).toEqual([
      'Submitted root/r s replace 1',
      'Slot s running->terminating root/owner',
      'TaskRemoveRequested root/owner',
      'TaskRemoved root/owner',
      'Slot s terminating->idle root/owner',
      'TaskAddRequested root/r',
      'TaskAdded root/r',
      'Slot s idle->running root/r',
    ]);
  });

  it('of an occupant that ended on its own (TaskRemoved seen, slot not yet freed) removes nothing', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('owner'), Q());
    host.end('owner');
    await controller.submit(spec('r'), R()); // before the microtask frees the slot
    expect(host.removeCalls).toEqual([]);
    await microtasks();
    expect(host.added).toEqual(['owner', 'r']);
  });
});

describe('SlotController (fake host): cancelling queued work', () => {
  it('cancelQueued: true once, ControllerRejected removed-from-queue, outcome rejected; it never starts', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('owner'), Q());
    await controller.submit(spec('victim'), Q());
    await controller.submit(spec('after'), Q());
    const outcome = controller.outcomeOf('root/victim');
    expect(controller.isQueued('victim')).toBe(true);
    expect(controller.cancelQueued('victim')).toBe(true);
    expect(host.log().at(-1)).toBe('Rejected root/victim s removed-from-queue');
    expect(host.rejected).toEqual([['root/victim', 'removed-from-queue']]);
    await expect(outcome).resolves.toEqual({ kind: 'rejected', reason: 'removed-from-queue' });
    expect(controller.cancelQueued('victim')).toBe(false);
    expect(controller.isQueued('victim')).toBe(false);
    host.end('owner');
    await microtasks();
    expect(host.added).toEqual(['owner', 'after']);
  });

  it('cancels the newest waiting submission of that name, across slots', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('o1'), Q('s1'));
    await controller.submit(spec('o2'), Q('s2'));
    await controller.submit(spec('job'), Q('s2'));
    await controller.submit(spec('job'), Q('s1'));
    expect(controller.cancelQueued('job')).toBe(true);
    expect(host.log().at(-1)).toBe('Rejected root/job s1 removed-from-queue');
    expect(controller.depth('s1')).toBe(0);
    expect(controller.depth('s2')).toBe(1);
  });

  it('cancelling the occupant does not purge the queue', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('owner'), Q());
    await controller.submit(spec('next'), Q());
    expect(controller.cancelQueued('owner')).toBe(false);
    host.remove('owner');
    host.end('owner');
    await microtasks();
    expect(host.added).toEqual(['owner', 'next']);
  });
});

describe('SlotController (fake host): outcomes of waiting submissions', () => {
  it('outcomeOf is undefined unless a submission waits at the path, and follows the child once it starts', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('owner'), Q());
    expect(controller.outcomeOf('root/owner')).toBeUndefined();
    await controller.submit(spec('w'), Q());
    const outcome = controller.outcomeOf('root/w');
    expect(outcome).toBeDefined();
    host.end('owner');
    await microtasks();
    expect(controller.outcomeOf('root/w')).toBeUndefined();
    await expect(outcome).resolves.toEqual({ kind: 'completed', output: 'w' });
  });

  it('a waiting submission whose name a live child took in the meantime: TaskAddFailed only, outcome rejected already-exists, the next one starts', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('owner'), Q('s1'));
    await controller.submit(spec('x'), Q('s1'));
    await controller.submit(spec('y'), Q('s1'));
    const outcome = controller.outcomeOf('root/x');
    await controller.submit(spec('x'), Q('s2')); // idle s2: x starts there
    host.end('owner');
    await microtasks();
    expect(host.added).toEqual(['owner', 'x', 'y']);
    const tail = host.log().slice(host.log().indexOf('TaskRemoved root/owner'));
    expect(tail).toEqual([
      'TaskRemoved root/owner',
      'Slot s1 running->idle root/owner',
      'TaskAddRequested root/x',
      'TaskAddFailed root/x',
      'TaskAddRequested root/y',
      'TaskAdded root/y',
      'Slot s1 idle->running root/y',
    ]);
    await expect(outcome).resolves.toEqual({ kind: 'rejected', reason: 'already-exists' });
    // The path is the live x's: its record is not touched.
    expect(host.rejected).toEqual([]);
  });
});

describe('SlotController (fake host): shutdown', () => {
  it('rejectAll rejects every waiting submission shutting-down, slot by slot, FIFO; later submits reject ShuttingDownError', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('o1'), Q('s1'));
    await controller.submit(spec('a'), Q('s1'));
    await controller.submit(spec('b'), Q('s1'));
    await controller.submit(spec('o2'), Q('s2'));
    await controller.submit(spec('c'), R('s2'));
    const before = host.events.length;
    controller.rejectAll();
    expect(host.log().slice(before)).toEqual([
      'Rejected root/a s1 shutting-down',
      'Rejected root/b s1 shutting-down',
      'Rejected root/c s2 shutting-down',
    ]);
    expect(controller.closed).toBe(true);
    const count = host.events.length;
    await expect(controller.submit(spec('late'), Q('s3'))).rejects.toBeInstanceOf(ShuttingDownError);
    expect(host.events).toHaveLength(count);
    // Occupants still free their slots; nothing else starts.
    host.end('o1');
    host.end('o2');
    await microtasks();
    expect(host.added).toEqual(['o1', 'o2']);
    expect(controller.view()).toEqual([]);
  });

  it('a host that refuses with ShuttingDownError on dequeue closes the controller and rejects what waits', async () => {
    const { host, controller } = setup();
    await controller.submit(spec('owner'), Q());
    await controller.submit(spec('a'), Q());
    await controller.submit(spec('b'), Q());
    host.closed = true;
    host.end('owner');
    await microtasks();
    expect(host.log().slice(-2)).toEqual(['Rejected root/a s shutting-down', 'Rejected root/b s shutting-down']);
    expect(controller.closed).toBe(true);
    await expect(controller.submit(spec('c'), Q())).rejects.toBeInstanceOf(ShuttingDownError);
  });

  it('an idle submit refused with ShuttingDownError rejects with it and closes the controller', async () => {
    const { host, controller } = setup();
    host.closed = true;
    await expect(controller.submit(spec('a'), Q())).rejects.toBeInstanceOf(ShuttingDownError);
    expect(controller.closed).toBe(true);
    expect(controller.view()).toEqual([]);
  });
});

describe('SlotController (fake host): submissions from inside a host call', () => {
  it('a submit from inside the occupant add queues behind it (the slot is already busy)', async () => {
    const { host, controller } = setup();
    let inner: Promise<string> | undefined;
    host.duringAdd = (name) => {
      if (name === 'a') inner = controller.submit(spec('b'), Q());
    };
    await controller.submit(spec('a'), Q());
    await expect(inner).resolves.toBe('root/b');
    expect(host.added).toEqual(['a']);
    expect(controller.view()[0]?.waiting).toEqual(['root/b']);
  });

  it('a replace from inside the occupant add removes it right after its running transition', async () => {
    const { host, controller } = setup();
    host.duringAdd = (name) => {
      if (name === 'a') void controller.submit(spec('b'), R());
    };
    await controller.submit(spec('a'), Q());
    expect(host.log()).toEqual([
      'TaskAddRequested root/a',
      'TaskAdded root/a',
      'Submitted root/b s replace 1',
      'Submitted root/a s queue 0',
      'Slot s idle->running root/a',
      'Slot s running->terminating root/a',
      'TaskRemoveRequested root/a',
    ]);
    expect(host.log().filter((line) => line.startsWith('Slot'))).toEqual([
      'Slot s idle->running root/a',
      'Slot s running->terminating root/a',
    ]);
    expect(host.removeCalls).toEqual(['a']);
    host.end('a');
    await microtasks();
    expect(host.added).toEqual(['a', 'b']);
  });

  it('a submit while the slot hands over (from inside the idle transition) does not jump the queue', async () => {
    const host = new FakeHost();
    const controller = new SlotController(
      {
        add: (s) => host.add(s),
        remove: (n) => host.remove(n),
        onRemoved: (n, l) => {
          host.onRemoved(n, l);
        },
        pathOf: (n) => host.pathOf(n),
        outcome: (p) => host.outcome(p),
        reject: (p, r) => {
          host.reject(p, r);
        },
        publish(draft) {
          host.publish(draft);
          if (draft.kind === 'ControllerSlotTransition' && draft.to === 'idle' && draft.task === 'root/owner') {
            void controller.submit(spec('late'), Q());
          }
        },
      },
      100,
    );
    await controller.submit(spec('owner'), Q());
    await controller.submit(spec('waiting'), Q());
    host.end('owner');
    await microtasks();
    expect(host.added).toEqual(['owner', 'waiting']);
    expect(controller.view()[0]?.waiting).toEqual(['root/late']);
  });
});

describe('validateSubmitOptions', () => {
  it.each([
    [undefined, 'options'],
    [null, 'options'],
    [{ admission: 'queue' }, 'options.slot'],
    [{ slot: '', admission: 'queue' }, 'options.slot'],
    [{ slot: 3, admission: 'queue' }, 'options.slot'],
    [{ slot: 's' }, 'options.admission'],
    [{ slot: 's', admission: 'enqueue' }, 'options.admission'],
    [{ slot: 's', admission: 'queue', priority: 1 }, 'options.priority'],
  ])('%j is a ConfigError naming %s', (value, field) => {
    expect(() => validateSubmitOptions(value)).toThrow(ConfigError);
    try {
      validateSubmitOptions(value);
    } catch (error) {
      expect(error).toMatchObject({ field });
    }
  });

  it('accepts the three admissions and any non-empty slot', () => {
    for (const admission of ['queue', 'replace', 'drop-if-running'] as const) {
      expect(validateSubmitOptions({ slot: 'a/b c', admission })).toEqual({ slot: 'a/b c', admission });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Part 2: through createSupervisor().submit
// ---------------------------------------------------------------------------------------------

type Kind = SupervisorEvent['kind'];

/** The seq of the first event of `kind` at `path` (that matches `extra`); fails if there is none. */
function seqOf(events: readonly SupervisorEvent[], kind: Kind, path: string, extra: Record<string, unknown> = {}): number {
  const found = events.find(
    (event) => event.kind === kind && event.task === path && Object.entries(extra).every(([key, value]) => (event as unknown as Record<string, unknown>)[key] === value),
  );
  if (found === undefined) return expect.fail(`no ${kind} for ${path} matching ${JSON.stringify(extra)}`);
  return found.seq;
}

function shape(event: SupervisorEvent): Record<string, unknown> {
  const { seq: _seq, at: _at, ...rest } = event;
  return rest;
}

const controllerEvents = (events: readonly SupervisorEvent[]): Record<string, unknown>[] =>
  events.filter((event) => event.kind.startsWith('Controller')).map(shape);

/** A task that runs until a gate opens (or it is aborted), logging when it runs. */
function held(name: string, log: string[], open: Promise<void>): TaskSpec {
  return task(name, async ({ signal }) => {
    log.push(`start ${name}`);
    await Promise.race([open, untilAborted(signal)]);
    log.push(`end ${name}`);
    return name;
  });
}

describe('submit: idle admission', () => {
  it('resolves with the path; TaskAddRequested, TaskAdded, Submitted depth 0, idle->running, in seq order', async () => {
    const h = harness();
    await h.app.start();
    const done = gate();
    await expect(h.app.submit(held('job', [], done.promise), { slot: 'web', admission: 'queue' })).resolves.toBe('app/job');
    const seqs = [
      seqOf(h.events, 'TaskAddRequested', 'app/job'),
      seqOf(h.events, 'TaskAdded', 'app/job'),
      seqOf(h.events, 'ControllerSubmitted', 'app/job', { slot: 'web', admission: 'queue', depth: 0 }),
      seqOf(h.events, 'ControllerSlotTransition', 'app/job', { slot: 'web', from: 'idle', to: 'running' }),
    ];
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(4);
    expect(controllerEvents(h.events)).toEqual([
      { kind: 'ControllerSubmitted', task: 'app/job', slot: 'web', admission: 'queue', depth: 0 },
      { kind: 'ControllerSlotTransition', task: 'app/job', slot: 'web', from: 'idle', to: 'running' },
    ]);
    done.open();
    await expect(h.app.outcome('app/job')).resolves.toEqual({ kind: 'completed', output: 'job' });
    await flush();
    // The slot goes idle after the child's TaskRemoved.
    expect(seqOf(h.events, 'ControllerSlotTransition', 'app/job', { from: 'running', to: 'idle' })).toBeGreaterThan(
      seqOf(h.events, 'TaskRemoved', 'app/job'),
    );
    await h.app.shutdown();
  });

  it('replace and drop-if-running into an idle slot behave like a plain admission (no terminating transition)', async () => {
    const h = harness();
    await h.app.start();
    await h.app.submit(task('r', async () => 'r'), { slot: 'a', admission: 'replace' });
    await h.app.submit(task('d', async () => 'd'), { slot: 'b', admission: 'drop-if-running' });
    await expect(h.app.outcome('r')).resolves.toMatchObject({ kind: 'completed' });
    await expect(h.app.outcome('d')).resolves.toMatchObject({ kind: 'completed' });
    await flush();
    const transitions = h.events.filter((event) => event.kind === 'ControllerSlotTransition').map((event) => `${event.from}->${event.to}`);
    expect(transitions).toEqual(['idle->running', 'idle->running', 'running->idle', 'running->idle']);
    expect(h.events.filter((event) => event.kind === 'ControllerSubmitted').map((event) => event.admission)).toEqual(['replace', 'drop-if-running']);
    await h.app.shutdown();
  });

  it('the slot is reusable after its occupant completes', async () => {
    const h = harness();
    await h.app.start();
    await h.app.submit(task('one', async () => 1), { slot: 's', admission: 'drop-if-running' });
    await h.app.outcome('one');
    await flush();
    await expect(h.app.submit(task('two', async () => 2), { slot: 's', admission: 'drop-if-running' })).resolves.toBe('app/two');
    await expect(h.app.outcome('two')).resolves.toEqual({ kind: 'completed', output: 2 });
    await h.app.shutdown();
  });

  it('works before start(), like add', async () => {
    const h = harness();
    await expect(h.app.submit(task('early', async () => 'e'), { slot: 's', admission: 'queue' })).resolves.toBe('app/early');
    await expect(h.app.outcome('early')).resolves.toEqual({ kind: 'completed', output: 'e' });
    await h.app.shutdown();
  });
});

describe('submit: queue', () => {
  it('runs FIFO and never overlaps: n+1 starts after n TaskRemoved', async () => {
    const h = harness();
    await h.app.start();
    const log: string[] = [];
    const gates = [gate(), gate(), gate()];
    const paths: string[] = [];
    for (const [i, g] of gates.entries()) {
      paths.push(await h.app.submit(held(`t${i + 1}`, log, g.promise), { slot: 'q', admission: 'queue' }));
    }
    expect(paths).toEqual(['app/t1', 'app/t2', 'app/t3']);
    expect(h.events.filter((event) => event.kind === 'ControllerSubmitted').map((event) => event.depth)).toEqual([0, 1, 2]);
    await flush();
    expect(log).toEqual(['start t1']);
    // Open them out of order: t3 first changes nothing, it has not started.
    gates[2]?.open();
    await flush();
    expect(log).toEqual(['start t1']);
    gates[0]?.open();
    await flush();
    expect(log).toEqual(['start t1', 'end t1', 'start t2']);
    gates[1]?.open();
    await flush();
    expect(log).toEqual(['start t1', 'end t1', 'start t2', 'end t2', 'start t3', 'end t3']);
    expect(seqOf(h.events, 'TaskStarting', 'app/t2')).toBeGreaterThan(seqOf(h.events, 'TaskRemoved', 'app/t1'));
    expect(seqOf(h.events, 'TaskStarting', 'app/t3')).toBeGreaterThan(seqOf(h.events, 'TaskRemoved', 'app/t2'));
    expect(seqOf(h.events, 'TaskAddRequested', 'app/t2')).toBeGreaterThan(seqOf(h.events, 'TaskRemoved', 'app/t1'));
    for (const path of paths) await expect(h.app.outcome(path)).resolves.toMatchObject({ kind: 'completed' });
    await h.app.shutdown();
  });

  it('a queued submission waits through the occupant backoff and retries: only its TaskRemoved frees the slot', async () => {
    const h = harness();
    await h.app.start();
    let attempts = 0;
    await h.app.submit(
      task('flaky', async () => {
        attempts++;
        if (attempts < 3) throw new Error('not yet');
        return 'ok';
      }, { backoff: { firstMs: 100, maxMs: 100, factor: 1, jitter: 'none' } }),
      { slot: 's', admission: 'queue' },
    );
    await h.app.submit(task('next', async () => 'n'), { slot: 's', admission: 'queue' });
    await h.advance(150, 50);
    expect(h.kinds('next')).toEqual(['ControllerSubmitted']);
    await h.advance(100, 50);
    expect(attempts).toBe(3);
    await expect(h.app.outcome('next')).resolves.toEqual({ kind: 'completed', output: 'n' });
    await h.app.shutdown();
  });

  it('maxSlotQueue 1: p1 waits (depth 1), p2 is refused queue-full and never added', async () => {
    const h = harness({ maxSlotQueue: 1 });
    await h.app.start();
    const done = gate();
    await h.app.submit(held('owner', [], done.promise), { slot: 's', admission: 'queue' });
    await expect(h.app.submit(task('p1', async () => 1), { slot: 's', admission: 'queue' })).resolves.toBe('app/p1');
    const error = await rejection(h.app.submit(task('p2', async () => 2), { slot: 's', admission: 'queue' }));
    expect(error).toBeInstanceOf(ControllerRejectedError);
    expect(error).toMatchObject({ name: 'ControllerRejectedError', code: 'ERR_CONTROLLER_REJECTED', reason: 'queue-full', slot: 's' });
    expect(h.of('p1').map(shape)).toEqual([{ kind: 'ControllerSubmitted', task: 'app/p1', slot: 's', admission: 'queue', depth: 1 }]);
    expect(h.of('p2').map(shape)).toEqual([{ kind: 'ControllerRejected', task: 'app/p2', slot: 's', reason: 'queue-full' }]);
    expect(h.app.snapshot().queueDepth).toBe(1);
    done.open();
    await expect(h.app.outcome('p1')).resolves.toEqual({ kind: 'completed', output: 1 });
    expect(h.kinds('p2')).toEqual(['ControllerRejected']);
    await h.app.shutdown();
  });

  it('maxSlotQueue 0: any queue behind a busy slot is refused, replace is accepted', async () => {
    const h = harness({ maxSlotQueue: 0 });
    await h.app.start();
    await h.app.submit(task('owner', ({ signal }) => untilAborted(signal)), { slot: 's', admission: 'queue' });
    await expect(h.app.submit(task('q', async () => 1), { slot: 's', admission: 'queue' })).rejects.toMatchObject({ reason: 'queue-full' });
    await expect(h.app.submit(task('r', async () => 'r'), { slot: 's', admission: 'replace' })).resolves.toBe('app/r');
    await expect(h.app.outcome('r')).resolves.toEqual({ kind: 'completed', output: 'r' });
    await expect(h.app.outcome('owner')).resolves.toMatchObject({ kind: 'cancelled' });
    await h.app.shutdown();
  });
});

describe('submit: drop-if-running', () => {
  it('a busy slot refuses it slot-busy: ControllerRejected only, nothing added, the occupant untouched', async () => {
    const h = harness();
    await h.app.start();
    const done = gate();
    const log: string[] = [];
    await h.app.submit(held('first', log, done.promise), { slot: 's', admission: 'queue' });
    const error = await rejection(h.app.submit(held('second', log, done.promise), { slot: 's', admission: 'drop-if-running' }));
    expect(error).toMatchObject({ name: 'ControllerRejectedError', reason: 'slot-busy', slot: 's', path: 'app/second' });
    expect(h.kinds('second')).toEqual(['ControllerRejected']);
    expect(h.of('second')[0]).toMatchObject({ reason: 'slot-busy', slot: 's' });
    // Refused at submit(): the path was never admitted, so it has no outcome.
    await expect(h.app.outcome('second')).rejects.toMatchObject({ code: 'ERR_UNKNOWN_TASK' });
    await flush();
    expect(h.kinds('first')).not.toContain('TaskRemoveRequested');
    expect(log).toEqual(['start first']);
    done.open();
    await h.app.outcome('first');
    await flush();
    expect(log).toEqual(['start first', 'end first']);
    await h.app.shutdown();
  });
});

describe('submit: replace', () => {
  it('of a running occupant: it is cancelled, and the replacement starts after its TaskRemoved', async () => {
    const h = harness();
    await h.app.start();
    await h.app.submit(task('run-1', ({ signal }) => untilAborted(signal)), { slot: 's', admission: 'replace' });
    await flush();
    const before = h.app.outcome('run-1');
    await expect(h.app.submit(task('run-2', async () => 'two'), { slot: 's', admission: 'replace' })).resolves.toBe('app/run-2');
    await expect(before).resolves.toEqual({ kind: 'cancelled' });
    await expect(h.app.outcome('run-2')).resolves.toEqual({ kind: 'completed', output: 'two' });
    const order = [
      seqOf(h.events, 'ControllerSubmitted', 'app/run-2', { admission: 'replace', depth: 1 }),
      seqOf(h.events, 'ControllerSlotTransition', 'app/run-1', { from: 'running', to: 'terminating' }),
      seqOf(h.events, 'TaskRemoveRequested', 'app/run-1'),
      seqOf(h.events, 'TaskStopped', 'app/run-1'),
      seqOf(h.events, 'TaskRemoved', 'app/run-1'),
      seqOf(h.events, 'ControllerSlotTransition', 'app/run-1', { from: 'terminating', to: 'idle' }),
      seqOf(h.events, 'TaskAddRequested', 'app/run-2'),
      seqOf(h.events, 'TaskStarting', 'app/run-2'),
      seqOf(h.events, 'ControllerSlotTransition', 'app/run-2', { from: 'idle', to: 'running' }),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(h.of('run-1').find((event) => event.kind === 'TaskStopped')).toMatchObject({ stopReason: { terminated: 'user-requested' } });
    await h.app.shutdown();
  });

  it('chain with a slow owner: the latest wins, A is superseded (outcome rejected), the owner is removed exactly once', async () => {
    const h = harness({ graceMs: 1_000 });
    await h.app.start();
    const ran: string[] = [];
    // Ignores its signal: only the grace (on the simulated clock) ends it.
    await h.app.submit(task('owner', () => new Promise<never>(() => undefined)), { slot: 's', admission: 'queue' });
    const a = await h.app.submit(task('A', async () => { ran.push('A'); }), { slot: 's', admission: 'replace' });
    const outcomeA = h.app.outcome(a);
    await h.app.submit(task('B', async () => { ran.push('B'); return 'b'; }), { slot: 's', admission: 'replace' });
    await expect(outcomeA).resolves.toEqual({ kind: 'rejected', reason: 'superseded' });
    expect(h.kinds('A')).toEqual(['ControllerSubmitted', 'ControllerRejected']);
    expect(h.of('A')[1]).toMatchObject({ slot: 's', reason: 'superseded' });
    await h.advance(999, 333);
    expect(ran).toEqual([]);
    expect(h.kinds('B')).toEqual(['ControllerSubmitted']);
    await h.advance(1);
    await expect(h.app.outcome('owner')).resolves.toMatchObject({ kind: 'force-aborted' });
    await expect(h.app.outcome('B')).resolves.toEqual({ kind: 'completed', output: 'b' });
    expect(ran).toEqual(['B']);
    expect(h.kinds('owner').filter((kind) => kind === 'TaskRemoveRequested')).toHaveLength(1);
    expect(h.events.filter((event) => event.kind === 'ControllerSlotTransition' && event.to === 'terminating')).toHaveLength(1);
    expect(seqOf(h.events, 'TaskAddRequested', 'app/B')).toBeGreaterThan(seqOf(h.events, 'TaskRemoved', 'app/owner'));
    await expect(h.app.outcome('A')).resolves.toEqual({ kind: 'rejected', reason: 'superseded' });
    await h.app.shutdown();
  });

  it('keeps the FIFO tail: q1 is superseded, then r runs, then q2', async () => {
    const h = harness();
    await h.app.start();
    const log: string[] = [];
    const ownerDone = gate();
    await h.app.submit(held('owner', log, ownerDone.promise), { slot: 's', admission: 'queue' });
    const rGate = gate();
    const q2Gate = gate();
    await h.app.submit(held('q1', log, gate().promise), { slot: 's', admission: 'queue' });
    await h.app.submit(held('q2', log, q2Gate.promise), { slot: 's', admission: 'queue' });
    await h.app.submit(held('r', log, rGate.promise), { slot: 's', admission: 'replace' });
    expect(h.events.filter((event) => event.kind === 'ControllerSubmitted').map((event) => [event.task, event.depth])).toEqual([
      ['app/owner', 0],
      ['app/q1', 1],
      ['app/q2', 2],
      ['app/r', 2],
    ]);
    expect(h.app.snapshot().queueDepth).toBe(2); // r and q2
    await expect(h.app.outcome('q1')).resolves.toEqual({ kind: 'rejected', reason: 'superseded' });
    await flush();
    expect(log).toEqual(['start owner', 'end owner', 'start r']);
    rGate.open();
    await flush();
    expect(log).toEqual(['start owner', 'end owner', 'start r', 'end r', 'start q2']);
    q2Gate.open();
    await expect(h.app.outcome('q2')).resolves.toMatchObject({ kind: 'completed' });
    expect(h.kinds('q1')).toEqual(['ControllerSubmitted', 'ControllerRejected']);
    await h.app.shutdown();
  });

  it('resubmitting the same name with replace: the new one starts after the old one is gone, and outcome(path) follows the newest', async () => {
    const h = harness();
    await h.app.start();
    let incarnation = 0;
    const job = (): TaskSpec =>
      task('job', async ({ signal }) => {
        const mine = ++incarnation;
        if (mine === 1) await untilAborted(signal);
        return mine;
      });
    await h.app.submit(job(), { slot: 'report', admission: 'replace' });
    await flush();
    const first = h.app.outcome('job');
    await expect(h.app.submit(job(), { slot: 'report', admission: 'replace' })).resolves.toBe('app/job');
    // While the second waits, outcome('job') is the waiting one.
    const second = h.app.outcome('job');
    await expect(first).resolves.toEqual({ kind: 'cancelled' });
    await expect(second).resolves.toEqual({ kind: 'completed', output: 2 });
    await expect(h.app.outcome('job')).resolves.toEqual({ kind: 'completed', output: 2 });
    expect(h.kinds('job').filter((kind) => kind === 'TaskRemoved')).toHaveLength(2);
    await h.app.shutdown();
  });
});

describe('submit: cancelling queued work', () => {
  it.each([['cancel'], ['remove']] as const)('%s of a queued name: true, ControllerRejected removed-from-queue, outcome rejected; false the second time; it never starts', async (how) => {
    const h = harness();
    await h.app.start();
    const ownerDone = gate();
    const ran: string[] = [];
    await h.app.submit(held('owner', ran, ownerDone.promise), { slot: 's', admission: 'queue' });
    const path = await h.app.submit(task('victim', async () => { ran.push('victim'); }), { slot: 's', admission: 'queue' });
    const waiting = h.app.outcome(path);
    await expect(h.app[how]('victim')).resolves.toBe(true);
    expect(h.of('victim').map(shape)).toEqual([
      { kind: 'ControllerSubmitted', task: 'app/victim', slot: 's', admission: 'queue', depth: 1 },
      { kind: 'ControllerRejected', task: 'app/victim', slot: 's', reason: 'removed-from-queue' },
    ]);
    await expect(waiting).resolves.toEqual({ kind: 'rejected', reason: 'removed-from-queue' });
    await expect(h.app.outcome(path)).resolves.toEqual({ kind: 'rejected', reason: 'removed-from-queue' });
    await expect(h.app[how]('victim')).resolves.toBe(false);
    ownerDone.open();
    await h.app.outcome('owner');
    await flush();
    expect(ran).toEqual(['start owner', 'end owner']);
    expect(h.kinds('victim')).toEqual(['ControllerSubmitted', 'ControllerRejected']);
    expect(h.kinds('owner')).not.toContain('TaskRemoveRequested');
    await h.app.shutdown();
  });

  it('accepts the path too', async () => {
    const h = harness();
    await h.app.start();
    await h.app.submit(task('owner', ({ signal }) => untilAborted(signal)), { slot: 's', admission: 'queue' });
    await h.app.submit(task('victim', async () => 1), { slot: 's', admission: 'queue' });
    await expect(h.app.cancel('elsewhere/victim')).resolves.toBe(false);
    await expect(h.app.cancel('app/victim')).resolves.toBe(true);
    expect(h.kinds('victim').at(-1)).toBe('ControllerRejected');
    await h.app.shutdown();
  });

  it('a waiting submission sharing the occupant name is cancelled first; the live one on the next call', async () => {
    const h = harness();
    await h.app.start();
    await h.app.submit(task('job', ({ signal }) => untilAborted(signal)), { slot: 's', admission: 'queue' });
    await h.app.submit(task('job', async () => 'second'), { slot: 's', admission: 'queue' });
    const live = h.app.outcome('job'); // the waiting one is the newest at app/job
    await expect(h.app.cancel('job')).resolves.toBe(true);
    await expect(live).resolves.toEqual({ kind: 'rejected', reason: 'removed-from-queue' });
    // The live occupant's record is untouched: it is still the child at app/job.
    expect(h.kinds('job')).not.toContain('TaskRemoveRequested');
    const occupant = h.app.outcome('job');
    await expect(h.app.cancel('job')).resolves.toBe(true);
    await expect(occupant).resolves.toEqual({ kind: 'cancelled' });
    await h.app.shutdown();
  });
});

describe('submit: names', () => {
  it('a duplicate name across slots rejects with TaskAlreadyExistsError: TaskAddFailed, no ControllerRejected, the slot stays free', async () => {
    const h = harness();
    await h.app.start();
    await h.app.submit(task('dup', ({ signal }) => untilAborted(signal)), { slot: 's1', admission: 'queue' });
    const error = await rejection(h.app.submit(task('dup', async () => 2), { slot: 's2', admission: 'queue' }));
    expect(error).toBeInstanceOf(TaskAlreadyExistsError);
    expect(error).toMatchObject({ code: 'ERR_TASK_EXISTS', path: 'app/dup' });
    const kinds = h.kinds('dup');
    expect(kinds.filter((kind) => kind === 'TaskAddFailed')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'ControllerRejected')).toHaveLength(0);
    expect(kinds.filter((kind) => kind === 'ControllerSubmitted')).toHaveLength(1);
    // s2 is idle: drop-if-running is admitted there at once.
    await expect(h.app.submit(task('other', async () => 3), { slot: 's2', admission: 'drop-if-running' })).resolves.toBe('app/other');
    await expect(h.app.outcome('other')).resolves.toEqual({ kind: 'completed', output: 3 });
    await h.app.shutdown();
  });

  it('a queued submission whose name is taken when its turn comes: TaskAddFailed, outcome rejected already-exists, the next one runs', async () => {
    const h = harness();
    await h.app.start();
    const ownerDone = gate();
    await h.app.submit(held('owner', [], ownerDone.promise), { slot: 's', admission: 'queue' });
    await h.app.submit(task('x', async () => 'queued x'), { slot: 's', admission: 'queue' });
    const queuedX = h.app.outcome('x');
    await h.app.submit(task('y', async () => 'y'), { slot: 's', admission: 'queue' });
    await h.app.add(task('x', ({ signal }) => untilAborted(signal)));
    ownerDone.open();
    await expect(queuedX).resolves.toEqual({ kind: 'rejected', reason: 'already-exists' });
    await expect(h.app.outcome('y')).resolves.toEqual({ kind: 'completed', output: 'y' });
    expect(h.kinds('x').filter((kind) => kind === 'TaskAddFailed')).toHaveLength(1);
    expect(h.kinds('x')).not.toContain('ControllerRejected');
    // The live x keeps its own outcome record.
    const liveX = h.app.outcome('x');
    await h.app.cancel('x');
    await expect(liveX).resolves.toEqual({ kind: 'cancelled' });
    await h.app.shutdown();
  });
});

describe('submit: shutdown', () => {
  it('rejects what is queued (shutting-down, before ShutdownRequested); it never starts; the owner is cancelled; later submits reject ShuttingDownError', async () => {
    const h = harness();
    await h.app.start();
    const ran: string[] = [];
    await h.app.submit(task('owner', ({ signal }) => untilAborted(signal)), { slot: 's', admission: 'queue' });
    const queued = await h.app.submit(task('queued', async () => { ran.push('queued'); }), { slot: 's', admission: 'queue' });
    const waiting = h.app.outcome(queued);
    await h.app.shutdown();
    await expect(waiting).resolves.toEqual({ kind: 'rejected', reason: 'shutting-down' });
    await expect(h.app.outcome(queued)).resolves.toEqual({ kind: 'rejected', reason: 'shutting-down' });
    await expect(h.app.outcome('owner')).resolves.toEqual({ kind: 'cancelled' });
    expect(ran).toEqual([]);
    expect(h.kinds('queued')).toEqual(['ControllerSubmitted', 'ControllerRejected']);
    expect(h.of('queued')[1]).toMatchObject({ slot: 's', reason: 'shutting-down' });
    expect(seqOf(h.events, 'ControllerRejected', 'app/queued')).toBeLessThan(seqOf(h.events, 'ShutdownRequested', 'app'));
    await expect(h.app.submit(task('late', async () => 1), { slot: 's', admission: 'queue' })).rejects.toBeInstanceOf(ShuttingDownError);
    await expect(h.app.cancel('queued')).resolves.toBe(false);
  });
});

describe('submit: slots are independent', () => {
  it('distinct slots run concurrently', async () => {
    const h = harness();
    await h.app.start();
    const log: string[] = [];
    const done = gate();
    await h.app.submit(held('w1', log, done.promise), { slot: 's1', admission: 'queue' });
    await h.app.submit(held('w2', log, done.promise), { slot: 's2', admission: 'drop-if-running' });
    await flush();
    expect(log).toEqual(['start w1', 'start w2']);
    expect(h.app.snapshot().children?.map((child) => child.path)).toEqual(['app/w1', 'app/w2']);
    expect(h.app.snapshot().queueDepth).toBe(0);
    done.open();
    await h.app.outcome('w1');
    await h.app.outcome('w2');
    await h.app.shutdown();
  });
});

describe('submit: validation', () => {
  it.each([
    [{ slot: '', admission: 'queue' }, 'options.slot'],
    [{ admission: 'queue' }, 'options.slot'],
    [{ slot: 's', admission: 'later' }, 'options.admission'],
  ])('options %j reject (never throw) with a ConfigError naming %s, and publish nothing', async (options, field) => {
    const h = harness();
    let promise: Promise<string> | undefined;
    expect(() => {
      promise = h.app.submit(task('x', async () => 1), options as unknown as SubmitOptions);
    }).not.toThrow();
    await expect(promise).rejects.toMatchObject({ name: 'ConfigError', field });
    expect(h.events).toEqual([]);
  });

  it('an invalid spec rejects with a ConfigError naming spec', async () => {
    const h = harness();
    await expect(h.app.submit({ name: 'x' } as unknown as TaskSpec, { slot: 's', admission: 'queue' })).rejects.toMatchObject({
      name: 'ConfigError',
      field: expect.stringMatching(/^spec/) as string,
    });
    expect(h.events).toEqual([]);
  });
});

describe('submit: admission closed by a give-up', () => {
  it('when the root exceeds its intensity, what waits is rejected shutting-down at the handover, and later submits reject ShuttingDownError', async () => {
    const h = harness({
      intensity: { maxRestarts: 0, periodMs: 10_000 },
      defaults: { backoff: { firstMs: 100, maxMs: 100, factor: 1, jitter: 'none' } },
    });
    await h.app.start();
    const ran: string[] = [];
    await h.app.submit(task('crasher', async () => { throw new Error('boom'); }), { slot: 's', admission: 'queue' });
    const waiting = await h.app.submit(task('waiting', async () => { ran.push('waiting'); }), { slot: 's', admission: 'queue' });
    const outcome = h.app.outcome(waiting);
    await h.advance(1_000, 100);
    await expect(h.app.outcome()).resolves.toMatchObject({ kind: 'failed' });
    await expect(outcome).resolves.toEqual({ kind: 'rejected', reason: 'shutting-down' });
    expect(ran).toEqual([]);
    expect(h.kinds('waiting')).toEqual(['ControllerSubmitted', 'ControllerRejected']);
    await expect(h.app.submit(task('late', async () => 1), { slot: 's', admission: 'queue' })).rejects.toBeInstanceOf(ShuttingDownError);
    await h.app.shutdown();
  });
});
