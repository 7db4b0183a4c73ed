import { afterEach, describe, expect, it } from 'vitest';
import { processTask } from '../src/index.ts';
import type { ProcessConfig } from '../src/index.ts';
import { disposeAll, groupGone, isAlive, procState, tracked, waitFor } from './support.ts';

afterEach(disposeAll);

/** Runs one process task to its end and returns the harness. */
async function run(config: ProcessConfig): Promise<ReturnType<typeof tracked>> {
  const h = tracked({ children: [processTask('p', config, { restart: 'never' })] });
  await h.app.start();
  await h.app.outcome('p');
  return h;
}

const sh = (script: string, extra: Partial<ProcessConfig> = {}): ProcessConfig => ({ command: 'sh', args: ['-c', script], ...extra });

/** A node script printing `count` numbered lines of 100 bytes (with the newline): line i starts with i. */
function numberedLines(count: number): ProcessConfig {
  const script = `const pad = 'x'.repeat(91); let s = '';
for (let i = 0; i < ${count}; i++) { s += String(i).padStart(8, '0') + pad + '\\n'; if (s.length > 65536) { process.stdout.write(s); s = ''; } }
process.stdout.write(s);`;
  return { command: 'node', args: ['-e', script] };
}

function expectNumbered(lines: readonly string[], count: number): void {
  expect(lines).toHaveLength(count);
  const pad = 'x'.repeat(91);
  for (let i = 0; i < count; i++) {
    if (lines[i] !== String(i).padStart(8, '0') + pad) throw new Error(`line ${i} is ${JSON.stringify(lines[i]?.slice(0, 20))}`);
  }
}

describe('output', { timeout: 30_000 }, () => {
  it('both streams, interleaved: each in order, all before the terminal event', async () => {
    const h = await run(sh('i=1; while [ $i -le 50 ]; do echo o$i; echo e$i >&2; i=$((i+1)); done'));
    expect(h.lines('p', 'stdout')).toEqual(Array.from({ length: 50 }, (_, i) => `o${i + 1}`));
    expect(h.lines('p', 'stderr')).toEqual(Array.from({ length: 50 }, (_, i) => `e${i + 1}`));
    const kinds = h.kinds('p');
    expect(kinds.lastIndexOf('TaskOutput')).toBeLessThan(kinds.indexOf('TaskStopped'));
  });

  it('keeps the order across streams when writes are apart in time', async () => {
    const h = await run(sh('echo a; sleep 0.2; echo b >&2; sleep 0.2; echo c'));
    const outputs = h.of('p').flatMap((event) => (event.kind === 'TaskOutput' ? [`${event.stream}:${event.line}`] : []));
    expect(outputs).toEqual(['stdout:a', 'stderr:b', 'stdout:c']);
  });

  it('a 10 MB line stream arrives whole and in order, as lines and as batches', async () => {
    const count = 100_000;
    const lines = await run(numberedLines(count));
    expect(lines.find('p', 'TaskStopped')).toMatchObject({ exitCode: 0 });
    expectNumbered(lines.lines('p', 'stdout'), count);

    const batches = await run({ ...numberedLines(count), output: 'batches' });
    expect(batches.kinds('p')).not.toContain('TaskOutput');
    expect(batches.kinds('p')).toContain('TaskOutputBatch');
    expectNumbered(batches.lines('p', 'stdout'), count);
  });

  it('splits a line longer than maxLineBytes into pieces, never inside a character', async () => {
    const script = `process.stdout.write('a'.repeat(2500) + '\\nshort\\n' + '\u4f60'.repeat(500) + '\\n')`;
    const h = await run({ command: 'node', args: ['-e', script], maxLineBytes: 1000 });
    const lines = h.lines('p');
    expect(lines.slice(0, 4)).toEqual(['a'.repeat(1000), 'a'.repeat(1000), 'a'.repeat(500), 'short']);
    const wide = lines.slice(4);
    expect(wide).toEqual(['\u4f60'.repeat(333), '\u4f60'.repeat(167)]);
    for (const piece of wide) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(1000);
  });

  it('a 1 MiB line fits the default maxLineBytes; an endless line is cut into 1 MiB pieces as it streams', async () => {
    const mib = 1024 * 1024;
    const one = await run(sh(`head -c ${mib} /dev/zero | tr '\\000' a; echo`));
    expect(one.lines('p')).toEqual(['a'.repeat(mib)]);

    const endless = await run(sh(`head -c ${3 * mib + 10} /dev/zero | tr '\\000' b`));
    const pieces = endless.lines('p');
    expect(pieces.map((piece) => piece.length)).toEqual([mib, mib, mib, 10]);
    expect(pieces.every((piece) => /^b+$/.test(piece))).toBe(true);
  });

  it('emits the final line without a trailing newline at EOF', async () => {
    expect((await run(sh("printf 'l1\\nl2\\nl3'"))).lines('p')).toEqual(['l1', 'l2', 'l3']);
    expect((await run(sh('printf abc'))).lines('p')).toEqual(['abc']);
  });

  it('never emits a partial line before its newline', async () => {
    expect((await run(sh("printf he; sleep 0.2; printf 'llo\\n'"))).lines('p')).toEqual(['hello']);
  });

  it('drops one \\r before \\n (also across writes); a lone \\r stays; empty lines are kept', async () => {
    expect((await run(sh("printf 'a\\r\\nx\\ry\\n'"))).lines('p')).toEqual(['a', 'x\ry']);
    expect((await run(sh("printf 'a\\r'; sleep 0.1; printf '\\nb\\r\\r\\n'"))).lines('p')).toEqual(['a', 'b\r']);
    expect((await run(sh("printf '\\n\\nz\\n'"))).lines('p')).toEqual(['', '', 'z']);
  });

  it('decodes invalid UTF-8 with replacement characters, and a character split across writes whole', async () => {
    const invalid = await run(sh("printf '\\377\\376 ok\\n'"));
    expect(invalid.lines('p')).toEqual(['\uFFFD\uFFFD ok']);
    expect(invalid.find('p', 'TaskStopped')).toMatchObject({ exitCode: 0, stopReason: 'finished' });
    expect((await run(sh("printf '\\344\\275'; sleep 0.1; printf '\\240\\n'"))).lines('p')).toEqual(['\u4f60']);
    expect((await run(sh("printf 'end\\344'"))).lines('p')).toEqual(['end\uFFFD']);
  });

  it("output 'none' publishes no lines but still keeps stderrTail", async () => {
    const h = await run(sh('echo out; echo err >&2; exit 2', { output: 'none' }));
    expect(h.kinds('p')).not.toContain('TaskOutput');
    expect(h.kinds('p')).not.toContain('TaskOutputBatch');
    await expect(h.app.outcome('p')).resolves.toMatchObject({ kind: 'failed', stderrTail: ['err'] });
  });
});

describe('pipes after the leader exits', { timeout: 30_000 }, () => {
  it('waits for late output of a grandchild that holds the pipe', async () => {
    const h = await run(sh('(sleep 0.3; echo late) & echo early'));
    expect(h.lines('p')).toEqual(['early', 'late']);
    expect(h.find('p', 'TaskStopped')).toMatchObject({ exitCode: 0, stopReason: 'finished' });
  });

  it('a grandchild holding the pipe for ever cannot hang the attempt: drainTimeoutMs, then it is killed', async () => {
    const h = tracked({ children: [processTask('p', sh('sleep 300 & echo $!'), { restart: 'never' })] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const leader = h.pid('p');
    const grandchild = Number(h.lines('p')[0]);
    // Once the leader is reaped (gone from /proc) its exit has been seen: the drain timer runs.
    await waitFor(() => procState(leader) === undefined, 'the leader to be reaped');
    expect(isAlive(grandchild)).toBe(true);
    await h.advance(1_999);
    expect(h.kinds('p')).not.toContain('TaskStopped');
    await h.advance(1);
    await h.until('p', 'TaskStopped');
    expect(h.find('p', 'TaskStopped')).toMatchObject({ exitCode: 0, stopReason: 'finished' });
    await groupGone(leader);
    expect(isAlive(grandchild)).toBe(false);
  });

  it('background children that do not hold the pipes are killed once the leader exits', async () => {
    const h = await run(sh('sleep 300 >/dev/null 2>&1 & echo $!'));
    const grandchild = Number(h.lines('p')[0]);
    expect(h.find('p', 'TaskStopped')).toMatchObject({ exitCode: 0 });
    await groupGone(h.pid('p'));
    expect(isAlive(grandchild)).toBe(false);
  });
});
