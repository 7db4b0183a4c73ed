/** Shared helpers for process tests: a supervisor on a SimulatedClock, event waits, /proc probes. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createSupervisor } from '@statevisor/core';
import type { OutputStream, Supervisor, SupervisorEvent, SupervisorOptions } from '@statevisor/core';
import { killAllGroups, trackedGroupCount } from '../src/process-group.ts';

/** Lets promises, microtasks and a few rounds of macrotasks run. */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Waits (in real time) until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string | (() => string), timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
  }
}

export interface Harness {
  readonly app: Supervisor;
  readonly clock: SimulatedClock;
  readonly events: SupervisorEvent[];
  /** The events of a child (a name is taken relative to the root `app`). */
  of(path: string): SupervisorEvent[];
  /** The kinds of `of(path)`. */
  kinds(path: string): string[];
  /** The output lines of a child, from TaskOutput and TaskOutputBatch, optionally of one stream. */
  lines(path: string, stream?: OutputStream): string[];
  /** The first event of `kind` for `path`, if any. */
  find<K extends SupervisorEvent['kind']>(path: string, kind: K): Extract<SupervisorEvent, { kind: K }> | undefined;
  /** Waits for an event of `kind` for `path` (count: how many). */
  until(path: string, kind: SupervisorEvent['kind'], count?: number, timeoutMs?: number): Promise<void>;
  /** Advances the simulated clock by `ms`, flushing promises before and after. */
  advance(ms: number): Promise<void>;
  /** The pid of the child's latest TaskStarted. */
  pid(path: string): number;
}

/** A supervisor named `app` on a SimulatedClock whose every event is logged synchronously. */
export function harness(options: SupervisorOptions = {}): Harness {
  const clock = new SimulatedClock();
  const app = createSupervisor({ name: 'app', clock, random: () => 0.5, ...options });
  const events: SupervisorEvent[] = [];
  app.events$.subscribe((event) => events.push(event));
  const resolve = (path: string): string => (path.includes('/') ? path : `app/${path}`);
  const of = (path: string): SupervisorEvent[] => events.filter((event) => event.task === resolve(path));
  const h: Harness = {
    app,
    clock,
    events,
    of,
    kinds: (path) => of(path).map((event) => event.kind),
    lines(path, stream) {
      const out: string[] = [];
      for (const event of of(path)) {
        if (stream !== undefined && 'stream' in event && event.stream !== stream) continue;
        if (event.kind === 'TaskOutput') out.push(event.line);
        else if (event.kind === 'TaskOutputBatch') out.push(...event.lines);
      }
      return out;
    },
    find(path, kind) {
      return of(path).find((event) => event.kind === kind) as never;
    },
    until(path, kind, count = 1, timeoutMs = 15_000) {
      return waitFor(
        () => of(path).filter((event) => event.kind === kind).length >= count,
        () => `${count} x ${kind} of ${path} (saw: ${of(path)
          .map((event) => event.kind)
          .join(', ')})`,
        timeoutMs,
      );
    },
    async advance(ms) {
      await flush();
      clock.increment(ms);
      await flush();
    },
    pid(path) {
      const started = of(path).filter((event) => event.kind === 'TaskStarted');
      const pid = started.at(-1)?.pid;
      if (pid === undefined) throw new Error(`no TaskStarted with a pid for ${path}`);
      return pid;
    },
  };
  return h;
}

/** A process's state letter from /proc (R, S, T, Z, ...), or undefined when it is gone. */
export function procState(pid: number): string | undefined {
  return procStat(pid)?.state;
}

function procStat(pid: number): { state: string; pgrp: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '?', pgrp: Number(fields[2]) };
}

/** Alive: /proc/<pid>/stat exists and the process is not a zombie (Z) or dead (X). */
export function isAlive(pid: number): boolean {
  const state = procState(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** The live (non-zombie) members of process group `pgid`. */
export function aliveInGroup(pgid: number): number[] {
  const alive: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') alive.push(Number(entry));
  }
  return alive;
}

/**
 * True when the group is stopped: at least one member is `T` and every live member is `T` or
 * `D` (a shell that vforked a child the SIGSTOP caught before its exec waits in `D`).
 */
export function groupStopped(pgid: number): boolean {
  const states: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') states.push(stat.state);
  }
  return states.includes('T') && states.every((state) => state === 'T' || state === 'D');
}

/** Waits until no member of the group is alive. */
export function groupGone(pgid: number, timeoutMs = 5_000): Promise<void> {
  return waitFor(
    () => aliveInGroup(pgid).length === 0,
    () => `group ${pgid} to be gone (alive: ${aliveInGroup(pgid).join(',')})`,
    timeoutMs,
  );
}

/** Sleeps in real time (only where a real process must be given time to do something). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const live: Harness[] = [];

/** Registers a harness for {@link disposeAll}. */
export function track(h: Harness): Harness {
  live.push(h);
  return h;
}

/**
 * Shuts every tracked supervisor down, advancing its clock so no grace can hang the teardown,
 * then checks that every process group was cleaned up (none left in the host-exit registry).
 */
export async function disposeAll(): Promise<void> {
  const harnesses = live.splice(0);
  try {
    await shutdownAll(harnesses);
  } finally {
    // Even when a test (or the shutdown) failed, no process of this test outlives it.
    killAllGroups();
  }
}

/** Both loops end well within vitest's hook timeout (10 s), so the `finally` above always runs. */
async function shutdownAll(harnesses: readonly Harness[]): Promise<void> {
  const shutdownDeadline = Date.now() + 5_000;
  for (const h of harnesses) {
    const state = { done: false };
    const shutdown = h.app.shutdown().finally(() => {
      state.done = true;
    });
    while (!state.done) {
      if (Date.now() > shutdownDeadline) throw new Error('shutdown did not finish within 5 s');
      await sleep(10);
      h.clock.increment(1_000);
    }
    await shutdown;
  }
  const deadline = Date.now() + 3_000;
  while (trackedGroupCount() > 0 && Date.now() < deadline) {
    await sleep(10);
    for (const h of harnesses) h.clock.increment(1_000);
  }
  if (trackedGroupCount() > 0) throw new Error(`${trackedGroupCount()} process group(s) still tracked after the test`);
}

/** `harness()` + `track()`. */
export function tracked(options: SupervisorOptions = {}): Harness {
  return track(harness(options));
}

/**
 * A temporary directory for the test file: made before its tests, removed after them. Returns
 * the path of an entry in it (the directory itself for no names).
 */
export function tempDir(prefix: string): (...names: string[]) => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `statevisor-${prefix}-`));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return (...names) => join(dir, ...names);
}
