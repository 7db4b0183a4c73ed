/**
 * One browser's relay, against a socket whose buffered amount the test controls: lines are
 * batched per macrotask, dropped once what waits passes the budget, and the drop is reported
 * by a SubscriberOverflow line once the socket drains, before the next lines.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ClientRelay } from '../src/server/client-relay.ts';
import type { RelayCounters } from '../src/server/client-relay.ts';
import type { LiveLine } from '../src/server/line-history.ts';

/** A socket that buffers what it is sent until the test writes it out. */
class FakeSocket {
  bufferedAmount = 0;
  readonly messages: string[] = [];
  private readonly pending: { bytes: number; written: () => void }[] = [];

  send(text: string, written: () => void): void {
    const bytes = Buffer.byteLength(text);
    this.bufferedAmount += bytes;
    this.messages.push(text);
    this.pending.push({ bytes, written });
  }

  /** The kernel took everything: buffered amount back to 0, callbacks run. */
  writeOut(): void {
    for (const { bytes, written } of this.pending.splice(0)) {
      this.bufferedAmount -= bytes;
      written();
    }
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function line(seq: number, size = 40): LiveLine {
  const base = JSON.stringify({ kind: 'TaskOutput', seq, line: '' });
  const text = JSON.stringify({ kind: 'TaskOutput', seq, line: 'x'.repeat(Math.max(0, size - base.length)) });
  return { text, seq, bytes: Buffer.byteLength(text) };
}

function setup(budget: number): { socket: FakeSocket; relay: ClientRelay; counters: RelayCounters } {
  const socket = new FakeSocket();
  const counters: RelayCounters = { sent: 0, dropped: 0 };
  const relay = new ClientRelay(socket as unknown as WebSocket, { budget, root: 'app', counters });
  return { socket, relay, counters };
}

const parse = (message: string | undefined): Record<string, unknown>[] =>
  (message ?? '').split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);

describe('the per-browser relay', () => {
  it('sends the history first, then the lines of one macrotask as one message', async () => {
    const { socket, relay, counters } = setup(10_000);
    relay.start([line(1), line(2)]);
    for (const seq of [3, 4, 5]) relay.offer(line(seq));
    expect(socket.messages).toHaveLength(1);
    await turn();
    expect(socket.messages.map((message) => parse(message).map((value) => value.seq))).toEqual([[1, 2], [3, 4, 5]]);
    expect(counters).toEqual({ sent: 5, dropped: 0 });
  });

  it('drops past the budget and reports the drop once drained, before the next lines', async () => {
    const { socket, relay, counters } = setup(130);
    for (let seq = 1; seq <= 10; seq++) relay.offer(line(seq)); // 3 fit (41 bytes each with the newline)
    await turn();
    expect(parse(socket.messages[0]).map((value) => value.seq)).toEqual([1, 2, 3]);
    expect(counters.dropped).toBe(7);

    relay.offer(line(11)); // still over half the budget: dropped
    expect(counters.dropped).toBe(8);
    socket.writeOut(); // drained: the report is queued
    relay.offer(line(12));
    await turn();
    const [report, next] = parse(socket.messages[1]);
    expect(report).toMatchObject({ kind: 'SubscriberOverflow', subscriber: 'viewer', dropped: 8, seq: 3, task: 'app' });
    expect(next?.seq).toBe(12);
    expect(counters).toEqual({ sent: 5, dropped: 8 });
  });

  it('history does not count against the budget, and a line larger than the budget passes when nothing waits', async () => {
    const { socket, relay, counters } = setup(100);
    relay.start(Array.from({ length: 50 }, (_, index) => line(index + 1)));
    relay.offer(line(51, 500));
    relay.offer(line(52));
    await turn();
    expect(socket.messages).toHaveLength(2);
    expect(parse(socket.messages[1]).map((value) => value.seq)).toEqual([51]);
    expect(counters.dropped).toBe(1);
  });

  it('sends nothing after the socket closed', async () => {
    const { socket, relay } = setup(1_000);
    relay.offer(line(1));
    relay.close();
    relay.offer(line(2));
    await turn();
    expect(socket.messages).toEqual([]);
  });
});
