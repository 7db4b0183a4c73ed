/**
 * The supervisor machine's `live`: how many children it has, as the inspector shows it. Children
 * added one by one are counted in one `children.added` per batch; a child's end, a shutdown and
 * a give-up always see every child added before them.
 */
import type { InspectionEvent } from 'xstate';
import { describe, expect, it } from 'vitest';
import { task } from '../src/index.ts';
import { flush, harness, untilAborted } from './support.ts';

const forever = (name: string): ReturnType<typeof task> => task(name, ({ signal }) => untilAborted(signal));

/** The root machine's context and the events it took, from the inspection stream. */
function watched(): { inspect: (event: InspectionEvent) => void; received: string[] } {
  const received: string[] = [];
  return {
    received,
    inspect: (event) => {
      if (event.type === '@xstate.event' && (event.actorRef as { id?: string }).id === 'app') received.push(event.event.type);
    },
  };
}

function liveOf(actor: unknown): number {
  return (actor as { getSnapshot(): { context: { live: number } } }).getSnapshot().context.live;
}

describe('the supervisor machine counts its live children', () => {
  it('children added one by one in the same turn are counted in one children.added', async () => {
    const w = watched();
    const h = harness({ inspect: w.inspect, children: [forever('first')] });
    await h.app.start();
    await Promise.all([h.app.add(forever('a')), h.app.add(forever('b')), h.app.add(forever('c'))]);
    await flush();
    expect(liveOf(h.app.actor)).toBe(4);
    expect(w.received.filter((type) => type === 'children.added')).toHaveLength(2);
    await h.app.cancel('b');
    expect(liveOf(h.app.actor)).toBe(3);
    await h.app.shutdown();
    expect(liveOf(h.app.actor)).toBe(0);
  });

  it('a shutdown in the same turn as add() still stops every child before the machine is stopped', async () => {
    const h = harness({ children: [forever('first')] });
    await h.app.start();
    void h.app.add(forever('late'));
    const result = await h.app.shutdown();
    expect(result).toEqual({ withinGrace: true, stuck: [] });
    expect(h.kinds('late')).toContain('TaskRemoved');
    const snapshot = (h.app.actor as { getSnapshot(): { value: unknown; context: { live: number } } }).getSnapshot();
    expect(snapshot.value).toBe('stopped');
    expect(snapshot.context.live).toBe(0);
  });
});
