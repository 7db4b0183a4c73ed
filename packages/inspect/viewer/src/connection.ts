/**
 * The page's connection to its server: `GET /session`, then the recording (`GET /recording`,
 * read as a stream and parsed as it arrives) or the live stream (WebSocket `/live`, one or more
 * JSONL lines per message). Every request goes to the page's own origin, with the token from
 * the page's URL.
 *
 * @module
 */
import { LineSplitter } from './model/lines.ts';

/**
 * What `GET /session` answers.
 *
 * @example
 * ```ts
 * const session: Session = { mode: 'recording', name: 'run.jsonl' };
 * ```
 */
export interface Session {
  readonly mode: 'live' | 'recording';
  readonly name: string;
}

/**
 * What the connection tells the page.
 *
 * @example
 * ```ts
 * const handlers: ConnectionHandlers = { session: show, lines: (lines) => lines.forEach((line) => model.append(line)), end: () => draw() };
 * ```
 */
export interface ConnectionHandlers {
  session(session: Session): void;
  /** Lines arrived (a chunk of the recording, or one WebSocket message). */
  lines(lines: readonly string[]): void;
  /** The whole recording was read (recording mode), or the socket closed (live). */
  end(error?: string): void;
}

const token = (): string => new URLSearchParams(location.search).get('token') ?? '';
const url = (path: string): string => `${path}?token=${encodeURIComponent(token())}`;

async function readRecording(handlers: ConnectionHandlers): Promise<void> {
  const response = await fetch(url('/recording'));
  if (!response.ok || response.body === null) throw new Error(`GET /recording: HTTP ${String(response.status)}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const splitter = new LineSplitter();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const lines = splitter.push(value);
    if (lines.length > 0) handlers.lines(lines);
  }
  const rest = splitter.end();
  if (rest.length > 0) handlers.lines(rest);
  handlers.end();
}

function followLive(handlers: ConnectionHandlers): void {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${location.host}${url('/live')}`);
  socket.onmessage = (message: MessageEvent<unknown>) => {
    if (typeof message.data !== 'string') return;
    const lines = message.data.split('\n').filter((line) => line.trim() !== '');
    if (lines.length > 0) handlers.lines(lines);
  };
  socket.onclose = () => handlers.end('the live connection closed');
}

/**
 * Connects: asks for the session, then reads the recording or follows the live stream.
 *
 * @example
 * ```ts
 * connect({ session: (s) => show(s), lines: (lines) => lines.forEach((l) => model.append(l)), end: () => draw() });
 * ```
 */
export async function connect(handlers: ConnectionHandlers): Promise<void> {
  try {
    const response = await fetch(url('/session'));
    if (!response.ok) throw new Error(`GET /session: HTTP ${String(response.status)}`);
    const session = (await response.json()) as Session;
    handlers.session(session);
    if (session.mode === 'live') followLive(handlers);
    else await readRecording(handlers);
  } catch (error) {
    handlers.end(error instanceof Error ? error.message : String(error));
  }
}
