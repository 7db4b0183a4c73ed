/**
 * The dispatcher's publish fast path (issue 9, "the real event path"): an event published when
 * nothing is being flushed goes straight to the bus, and every ordering guarantee of a flush
 * still holds.
 */
import { describe, it, expect } from 'vitest';
import { Dispatcher } from '../src/supervisor/dispatcher.ts';
import type { EventDraft } from '../src/events.ts';
import { runnerTask } from '../src/index.ts';
import { harness } from './support.ts';

const ready = (task: string): EventDraft => ({ kind: 'TaskReady', task, attempt: 1 });

function rig(onPublish: (draft: EventDraft, d: Dispatcher) => void = () => undefined): { d: Dispatcher; log: string[] } {
  const log: string[] = [];
  const d: Dispatcher = new Dispatcher(
    (draft) => {
      log.push(`publish ${draft.task}`);
      onPublish(draft, d);
    },
    (error) => log.push(`error ${String(error)}`),
  );
  return { d, log };
}

describe('Dispatcher.publishNow', () => {
  it('publishes at once when nothing is recorded or being flushed', () => {
    const { d, log } = rig();
    d.publishNow(ready('a'));
    d.publishNow(ready('b'));
    expect(log).toEqual(['publish a', 'publish b']);
  });

  it('queues behind events recorded before it (a step not flushed yet)', () => {
    const { d, log } = rig();
    d.emit(ready('recorded'));
    d.defer(() => log.push('effect'));
    d.publishNow(ready('now'));
    expect(log).toEqual(['publish recorded', 'publish now', 'effect']);
  });

  it('runs effects that were recorded alone right after the event', () => {
    const { d, log } = rig();
    d.defer(() => log.push('effect'));
    d.publishNow(ready('now'));
    expect(log).toEqual(['publish now', 'effect']);
  });

  it('queues what a subscriber publishes or records during the event behind it, before publishNow returns', () => {
    const { d, log } = rig((draft, dispatcher) => {
      if (draft.task !== 'outer') return;
      dispatcher.publishNow(ready('nested'));
      dispatcher.emit(ready('recorded'));
      dispatcher.defer(() => log.push('effect'));
      log.push('subscriber done');
    });
    d.publishNow(ready('outer'));
    expect(log).toEqual(['publish outer', 'subscriber done', 'publish nested', 'publish recorded', 'effect']);
    d.publishNow(ready('after'));
    expect(log.at(-1)).toBe('publish after');
  });

  it('queues an event published during a flush behind the flushed ones', () => {
    const { d, log } = rig();
    d.emit(ready('first'));
    d.defer(() => {
      d.publishNow(ready('from an effect'));
      log.push('effect done');
    });
    d.emit(ready('second'));
    d.flush();
    expect(log).toEqual(['publish first', 'publish second', 'effect done', 'publish from an effect']);
  });
});

describe('the order of an attempt\'s events on the real path', () => {
  it('puts output that a runner writes at once, before its first await, after TaskStarting and TaskStarted', async () => {
    const { app, kinds } = harness();
    await app.start();
    await app.add(
      runnerTask('eager', (ctx) => {
        ctx.started();
        ctx.output('first', 'stdout');
        ctx.output('second', 'stdout');
        return Promise.resolve({ kind: 'completed' });
      }),
    );
    await app.outcome('eager');
    expect(kinds('eager')).toEqual([
      'TaskAddRequested',
      'TaskAdded',
      'TaskStarting',
      'TaskStarted',
      'TaskOutput',
      'TaskOutput',
      'TaskStopped',
      'ActorExhausted',
      'TaskRemoved',
    ]);
    await app.shutdown();
  });
});
