import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRecording, readRecordingHeader, RecordingFormatError, RecordingNotFoundError } from '../src/index.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'statevisor-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const header = JSON.stringify({ format: 'statevisor-recording', version: 1, startedAt: 1, snapshot: { path: 'app', kind: 'supervisor', state: 'running', children: [] } });
const event = (seq: number, kind = 'TaskAdded'): string => JSON.stringify({ kind, task: 'app/a', seq, at: 1000 + seq });
const inspect = JSON.stringify({ inspect: { type: '@xstate.event', sessionId: 'x:0', rootId: 'x:0', createdAt: '1', id: null, _version: '0.7.2', sourceId: undefined, event: { type: 'go' } } });

async function file(text: string): Promise<string> {
  const path = join(dir, `r${String(Math.random()).slice(2)}.jsonl`);
  await writeFile(path, text);
  return path;
}

async function all<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

async function formatError(text: string, strict = false): Promise<RecordingFormatError> {
  const path = await file(text);
  const error: unknown = await all(readRecording(path, { strict })).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RecordingFormatError);
  const formatted = error as RecordingFormatError;
  expect(formatted.file).toBe(path);
  expect(formatted.code).toBe('ERR_RECORDING_FORMAT');
  return formatted;
}

describe('readRecording', () => {
  it('yields the events in order, and the inspection lines only when asked', async () => {
    const path = await file([header, event(1), inspect, event(2, 'TaskStarting'), ''].join('\n'));
    expect((await all(readRecording(path))).map((e) => e.seq)).toEqual([1, 2]);
    const lines = await all(readRecording(path, { inspect: true }));
    expect(lines.map((line) => ('inspect' in line ? 'inspect' : line.kind))).toEqual(['TaskAdded', 'inspect', 'TaskStarting']);
    expect(await readRecordingHeader(path)).toMatchObject({ format: 'statevisor-recording', startedAt: 1 });
  });

  it('streams a large file (lines split across chunks, CRLF tolerated)', async () => {
    const count = 20_000;
    const body = Array.from({ length: count }, (_, i) => event(i + 1)).join('\r\n');
    const path = await file(`${header}\r\n${body}\r\n`);
    let n = 0;
    let last = 0;
    for await (const e of readRecording(path)) {
      n++;
      expect(e.seq).toBeGreaterThan(last);
      last = e.seq;
    }
    expect(n).toBe(count);
  });

  it('reads a recording cut by a crash up to its unfinished last line, and tells', async () => {
    const path = await file([header, event(1), event(2), '{"kind":"TaskSta'].join('\n'));
    const cut: number[] = [];
    expect((await all(readRecording(path, { onTruncated: (line) => cut.push(line) }))).map((e) => e.seq)).toEqual([1, 2]);
    expect(cut).toEqual([4]);
  });

  it('refuses bad files with RecordingFormatError naming the line', async () => {
    expect((await formatError('')).line).toBe(1);
    expect((await formatError('hello world\n')).line).toBe(1);
    expect((await formatError(`${JSON.stringify({ format: 'other', version: 1 })}\n`)).message).toMatch(/not a Statevisor recording/);
    const newer = await formatError(`${JSON.stringify({ format: 'statevisor-recording', version: 2, startedAt: 1, snapshot: {} })}\n`);
    expect(newer.message).toMatch(/newer/);
    expect((await formatError([header, event(1), 'not json', event(2), ''].join('\n'))).line).toBe(3);
    expect((await formatError([header, event(1), '[1,2]', ''].join('\n'))).line).toBe(3);
    expect((await formatError([header, event(1), '{"x":1}', ''].join('\n'))).line).toBe(3);
    expect((await formatError([header, event(1), header, event(1), ''].join('\n'))).message).toMatch(/second header/);
    expect((await formatError([header, event(2), event(1), ''].join('\n'))).line).toBe(3);
    const strict = await formatError([header, event(1), '{"kind":"Ta'].join('\n'), true);
    expect(strict.line).toBe(3);
    expect(strict.message).toMatch(/cut short/);
  });

  it('says which recording is missing: a path that does not exist, or a folder', async () => {
    const missing = join(dir, 'nope.jsonl');
    await expect(all(readRecording(missing))).rejects.toMatchObject({ name: 'RecordingNotFoundError', code: 'ERR_RECORDING_NOT_FOUND', file: missing });
    await expect(readRecordingHeader(missing)).rejects.toBeInstanceOf(RecordingNotFoundError);
    await expect(readRecordingHeader(dir)).rejects.toBeInstanceOf(RecordingNotFoundError);
  });

  it('refuses a bad header in readRecordingHeader too', async () => {
    await expect(readRecordingHeader(await file(''))).rejects.toBeInstanceOf(RecordingFormatError);
    await expect(readRecordingHeader(await file(`${event(1)}\n`))).rejects.toMatchObject({ line: 1 });
  });
});
