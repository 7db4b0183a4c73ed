import { describe, expect, it } from 'vitest';
import { assign, createActor, createMachine, fromPromise, type InspectionEvent } from 'xstate';
import { toInspectionMessage } from '../src/format/to-inspection-message.ts';
import type { ActorMessage, InspectionMessage } from '../src/index.ts';

function run(options: { secrets?: boolean; outputs?: boolean } = {}): Promise<InspectionMessage[]> {
  const messages: InspectionMessage[] = [];
  const context: Record<string, unknown> = { count: 10n, env: { TOKEN: 'hunter2' }, fn: () => 1 };
  context['self'] = context;
  const machine = createMachine({
    id: 'parent',
    context,
    initial: 'working',
    states: {
      working: {
        invoke: {
          id: 'job',
          src: fromPromise(async () => Promise.resolve('marker-42')),
          onDone: { target: 'done', actions: assign({ count: () => 11n }) },
        },
      },
      done: { type: 'final' },
    },
  });
  const actor = createActor(machine, {
    inspect: (event: InspectionEvent) => {
      const message = toInspectionMessage(event, options);
      if (message !== undefined) messages.push(message);
    },
  });
  return new Promise((resolve) => {
    actor.subscribe({ complete: () => { resolve(messages); } });
    actor.start();
  });
}

describe('toInspectionMessage', () => {
  it('builds Stately-shaped actor, event and snapshot messages from a real actor', async () => {
    const messages = await run();
    const actors = messages.filter((m): m is ActorMessage => m.type === '@xstate.actor');
    const parent = actors.find((m) => m.name === 'x:0' || m.name === 'parent');
    const job = actors.find((m) => m.name === 'job');
    expect(parent).toBeDefined();
    expect(job?.parentId).toBe(parent?.sessionId);
    expect(job?.rootId).toBe(parent?.sessionId);
    expect(JSON.parse(parent?.definition ?? 'null')).toMatchObject({ id: 'parent', initial: 'working' });
    expect(messages.some((m) => m.type === '@xstate.event' && m.event.type === 'xstate.done.actor.job')).toBe(true);
    const last = messages.filter((m) => m.type === '@xstate.snapshot' && m.sessionId === parent?.sessionId).at(-1);
    expect(last?.type === '@xstate.snapshot' ? last.snapshot : undefined).toMatchObject({ status: 'done', value: 'done' });
    for (const message of messages) expect(message._version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('makes contexts plain (cycles, BigInt, functions) and redacts env and outputs by default', async () => {
    const text = JSON.stringify(await run());
    expect(text).toContain('"count":"11"');
    expect(text).toContain('[Circular]');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('marker-42');
  });

  it('keeps env values and outputs when asked', async () => {
    const text = JSON.stringify(await run({ secrets: true, outputs: true }));
    expect(text).toContain('hunter2');
    expect(text).toContain('marker-42');
  });

  it('ignores microsteps and actions, and never throws on an unreadable actor', () => {
    const hostileRef = new Proxy({}, { get: () => { throw new Error('no'); } });
    expect(toInspectionMessage({ type: '@xstate.action', action: { type: 'a', params: {} }, actorRef: hostileRef, rootId: 'x' } as unknown as InspectionEvent)).toBeUndefined();
    const message = toInspectionMessage({ type: '@xstate.actor', actorRef: hostileRef, rootId: 'x:0' } as unknown as InspectionEvent);
    expect(message === undefined || message.type === '@xstate.actor').toBe(true);
  });
});
