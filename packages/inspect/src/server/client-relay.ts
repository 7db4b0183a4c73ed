/**
 * One browser's side of the live relay: lines are held and sent in batches (one WebSocket
 * message per macrotask); when the socket's buffered amount plus what is held passes the
 * client's budget, that browser's lines are dropped and counted, and once its socket drains a
 * `SubscriberOverflow` line (subscriber `'viewer'`) is sent before the next lines.
 *
 * @module
 */
import type { WebSocket } from 'ws';
import type { LiveLine } from './line-history.ts';

/** Counters shared by every client of a server. */
export interface RelayCounters {
  /** Lines handed to sockets. */
  sent: number;
  /** Lines dropped for slow browsers. */
  dropped: number;
}

/** The name a dropping browser is reported under. */
export const VIEWER_SUBSCRIBER = 'viewer';

/** History is sent in messages of about this size. */
const HISTORY_MESSAGE_BYTES = 256 * 1024;

/**
 * Relays lines to one WebSocket.
 *
 * @example
 * ```ts
 * const client = new ClientRelay(ws, { budget: 1 << 20, root: 'app', counters });
 * client.start([headerLine, ...history.kept()]);
 * client.offer(line);
 * ```
 */
export class ClientRelay {
  private readonly ws: WebSocket;
  private readonly budget: number;
  private readonly root: string;
  private readonly counters: RelayCounters;
  private held: string[] = [];
  private heldBytes = 0;
  /** Bytes of the history messages not yet written out (they do not count against the budget). */
  private historyUnwritten = 0;
  private dropping = false;
  private droppedSinceReport = 0;
  private lastSeq = 0;
  private flushQueued = false;
  private closed = false;

  /**
   * @param ws - the open socket
   * @param options - `budget`: bytes that may wait toward this browser; `root`: the root path
   * (the overflow line's `task`); `counters`: the server's totals
   */
  constructor(ws: WebSocket, options: { readonly budget: number; readonly root: string; readonly counters: RelayCounters }) {
    this.ws = ws;
    this.budget = options.budget;
    this.root = options.root;
    this.counters = options.counters;
  }

  /** Sends the header and the history, in order, before any live line. */
  start(lines: readonly LiveLine[]): void {
    let batch: string[] = [];
    let bytes = 0;
    const send = (): void => {
      const size = bytes;
      const count = batch.length;
      this.historyUnwritten += size;
      this.ws.send(batch.join('\n'), () => {
        this.historyUnwritten -= size;
        this.written();
      });
      this.counters.sent += count;
      batch = [];
      bytes = 0;
    };
    for (const line of lines) {
      batch.push(line.text);
      bytes += line.bytes + 1;
      if (line.seq !== undefined) this.lastSeq = line.seq;
      if (bytes >= HISTORY_MESSAGE_BYTES) send();
    }
    if (batch.length > 0) send();
  }

  /** Offers a live line: held for the next batch, or dropped when the browser is behind. */
  offer(line: LiveLine): void {
    if (this.closed) return;
    if (this.dropping && this.drained()) this.resume();
    const waiting = this.liveBuffered() + this.heldBytes;
    // A line is always taken when nothing waits, however large it is.
    if (this.dropping || (waiting > 0 && waiting + line.bytes > this.budget)) {
      this.dropping = true;
      this.droppedSinceReport += 1;
      this.counters.dropped += 1;
      return;
    }
    this.hold(line.text, line.bytes);
    if (line.seq !== undefined) this.lastSeq = line.seq;
  }

  /** Stops relaying (the socket closed). */
  close(): void {
    this.closed = true;
    this.held = [];
    this.heldBytes = 0;
  }

  /** Holds a line for the next batch; `bytes` counts against the budget (0 for a report). */
  private hold(text: string, bytes: number): void {
    this.held.push(text);
    this.heldBytes += bytes === 0 ? 0 : bytes + 1;
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.closed || this.held.length === 0) return;
    const count = this.held.length;
    const text = this.held.join('\n');
    this.held = [];
    this.heldBytes = 0;
    this.ws.send(text, () => this.written());
    this.counters.sent += count;
  }

  /** A message was written out (or failed): the browser may have drained. */
  private written(): void {
    if (!this.closed && this.dropping && this.drained()) this.resume();
  }

  /** Ends a gap: the overflow line goes out before the next lines. */
  private resume(): void {
    this.dropping = false;
    const report = JSON.stringify({
      kind: 'SubscriberOverflow',
      subscriber: VIEWER_SUBSCRIBER,
      dropped: this.droppedSinceReport,
      seq: this.lastSeq,
      at: Date.now(),
      task: this.root,
    });
    this.droppedSinceReport = 0;
    // The report itself never counts against the budget, so it cannot start a new gap.
    this.hold(report, 0);
  }

  /** Bytes of live lines buffered in the socket (history messages excluded). */
  private liveBuffered(): number {
    return Math.max(0, this.ws.bufferedAmount - this.historyUnwritten);
  }

  /** Drained: what waits is back under half the budget (half, so a gap does not flap). */
  private drained(): boolean {
    return this.liveBuffered() + this.heldBytes <= this.budget / 2;
  }
}
