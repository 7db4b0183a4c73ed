/**
 * Process peer benchmarks (perf-baselines.md §7.2b): Statevisor's process supervision against
 * pm2 7's programmatic API and a hand-written `child_process` loop, on the same Node script (see
 * hello.ts: it says hello over a unix socket once it is up), in the same bench process.
 *
 * - **R1 `peer.restart`** (vs pm2, ≤ 0.6×) and **R1.loop** (vs the hand-written loop, ≤ 1.15×):
 *   a crash → the next attempt up. The bench SIGKILLs the pid that said hello (t0) and waits for
 *   the next hello of the same side (t1). Statevisor: `processTask` with `restart: 'always'` and a
 *   zero backoff; pm2: `autorestart`, `restart_delay: 0`; the loop respawns on `'exit'`. The three
 *   sides crash in turn, the order rotating every round.
 * - **R2 `peer.stop`** (vs pm2, ≤ 0.05×): stop → the process confirmed dead (`kill(pid, 0)` →
 *   ESRCH, or a zombie in /proc, polled once per macrotask). Statevisor:
 *   `app.child(name).stop()`; pm2: `pm2.stop(name)` with its defaults; `extra` also has a raw
 *   `kill(-pgid, 'SIGTERM')`.
 *
 * Each scenario gets its own pm2 daemon under a temp PM2_HOME, killed at the end with
 * everything it ran (pm2-peer.ts), and a `/proc` check that no process that said hello is alive.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createSupervisor, type Supervisor, type SupervisorEvent } from '@statevisor/core';
import { processTask } from '@statevisor/process';
import { macrotask, type BenchGroup, type Check, type RunContext, type Scenario, type ScenarioResult } from './harness.ts';
import { helloServer, isDead, killPid, whenDead, type HelloServer } from './hello.ts';
import { openPm2, type Pm2Session } from './pm2-peer.ts';
import { latencyResult, pct, round3, sleepMs } from './process.ts';

/** The pause between a hello and the crash or stop, so the side has settled after its start. */
const SETTLE_MS = 20;
const ZERO_BACKOFF = { firstMs: 0, maxMs: 0, factor: 1, jitter: 'none' } as const;

/** One side of R1: its name, and `crash()` → ms from the SIGKILL to the next hello. */
interface RestartSide {
  readonly key: 'statevisor' | 'pm2' | 'loop';
  crash(): Promise<number>;
}

/** SIGKILLs the pid of the side's last hello and times the next one. */
function crasher(hellos: HelloServer, tag: string, first: Promise<{ pid: number }>): () => Promise<number> {
  let pid: Promise<{ pid: number }> = first;
  return async () => {
    const victim = (await pid).pid;
    await sleepMs(SETTLE_MS);
    hellos.forget(tag);
    const next = hellos.next(tag);
    pid = next;
    const t0 = performance.now();
    killPid(victim);
    return (await next).t - t0;
  };
}

/** The hand-written loop: spawn with processTask's options, respawn on `'exit'`. */
function handLoop(hellos: HelloServer, tag: string): { stop(): void } {
  let stopped = false;
  let pid = 0;
  const start = (): void => {
    const child = spawn(process.execPath, [hellos.script], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...hellos.env(tag) },
    });
    pid = child.pid ?? 0;
    child.stdout.resume();
    child.stderr.resume();
    child.once('exit', () => {
      if (!stopped) start();
    });
  };
  start();
  return {
    stop() {
      stopped = true;
      killPid(-pid);
    },
  };
}

/** Counts the failure kinds of a supervisor (TaskFailed is a crash; TaskError / ActorDead must stay 0). */
function counter(app: Supervisor): { failed: number; fatal: number; last: string } {
  const c = { failed: 0, fatal: 0, last: '' };
  app.events$.subscribe((e: SupervisorEvent) => {
    if (e.kind === 'TaskFailed') c.failed++;
    if (e.kind === 'TaskError' || e.kind === 'ActorDead') {
      c.fatal++;
      c.last = `${e.task}: ${e.kind}`;
    }
  });
  return c;
}

/** Runs `body` with a hello server, a started supervisor and a pm2 daemon; tears all down, then checks /proc. */
async function withPeers(name: string, checks: Check[], body: (hellos: HelloServer, app: Supervisor, pm2: Pm2Session) => Promise<void>): Promise<void> {
  const hellos = await helloServer();
  const app = createSupervisor({ name });
  let pm2: Pm2Session | undefined;
  try {
    await app.start();
    pm2 = await openPm2();
    await body(hellos, app, pm2);
  } finally {
    await Promise.race([app.shutdown(), sleepMs(10_000)]);
    if (pm2 !== undefined) await pm2.close(hellos.pids);
    await hellos.close();
    await sleepMs(200);
    for (const pid of hellos.pids) killPid(pid);
    const alive = [...hellos.pids].filter((pid) => !isDead(pid));
    checks.push({
      name: 'no process left behind (every pid that said hello is gone; pm2 daemon killed)',
      ok: alive.length === 0,
      detail: alive.length === 0 ? `0 of ${hellos.pids.size} alive 200 ms after the teardown` : `alive after the teardown (SIGKILLed): ${alive.join(', ')}`,
    });
  }
}

interface R1Data {
  readonly samples: Record<RestartSide['key'], number[]>;
  readonly checks: Check[];
  extra: Record<string, number | string>;
}

async function measureR1(ctx: RunContext): Promise<R1Data> {
  const n = ctx.quick ? 8 : 30;
  const warm = ctx.quick ? 2 : 4;
  const d: R1Data = { samples: { statevisor: [], pm2: [], loop: [] }, checks: [], extra: {} };
  await withPeers('r1', d.checks, async (hellos, app, pm2) => {
    const failures = counter(app);
    const svFirst = hellos.next('sv');
    await app.add(
      processTask('sv', { command: process.execPath, args: [hellos.script], env: hellos.env('sv'), readyIndicator: 'ready' }, { restart: 'always', backoff: ZERO_BACKOFF }),
    );
    const pmFirst = hellos.next('pm2');
    // max_restarts raised: pm2 stops restarting after 16 restarts of less than min_uptime (1 s) each.
    await pm2.start({ name: 'pm2', script: hellos.script, env: hellos.env('pm2'), autorestart: true, restart_delay: 0, max_restarts: 1_000_000 });
    const loopFirst = hellos.next('loop');
    const loop = handLoop(hellos, 'loop');
    try {
      const sides: RestartSide[] = [
        { key: 'statevisor', crash: crasher(hellos, 'sv', svFirst) },
        { key: 'pm2', crash: crasher(hellos, 'pm2', pmFirst) },
        { key: 'loop', crash: crasher(hellos, 'loop', loopFirst) },
      ];
      for (let round = 0; round < warm + n; round++) {
        for (let k = 0; k < sides.length; k++) {
          const side = sides[(k + round) % sides.length] ?? sides[0];
          if (side === undefined) continue;
          const ms = await side.crash();
          if (round >= warm) d.samples[side.key].push(ms);
          await macrotask();
        }
      }
      const crashes = warm + n;
      const pm2State = await pm2.describe('pm2');
      d.checks.push({
        name: 'every crash was restarted by its own side',
        ok: failures.failed === crashes && failures.fatal === 0 && pm2State.status === 'online' && pm2State.restarts === crashes,
        detail: `Statevisor: ${failures.failed} TaskFailed for ${crashes} crashes, ${failures.fatal} TaskError/ActorDead ${failures.last}; pm2: status ${pm2State.status}, restart_time ${pm2State.restarts}`,
      });
    } finally {
      loop.stop();
    }
  });
  return d;
}

/** One R2 side: start (untimed until the hello), pause, stop → dead; also when the stop call resolved. */
async function stopOnce(hellos: HelloServer, tag: string, start: () => Promise<unknown>, stop: (pid: number) => Promise<unknown>): Promise<{ dead: number; call: number }> {
  const hello = hellos.next(tag);
  await start();
  const { pid } = await hello;
  await sleepMs(SETTLE_MS);
  const t0 = performance.now();
  let call = Number.NaN;
  const stopped = stop(pid).then(() => (call = performance.now() - t0));
  const dead = (await whenDead(pid)) - t0;
  await stopped;
  return { dead, call };
}

interface R2Data {
  readonly dead: Record<'statevisor' | 'pm2' | 'raw', number[]>;
  readonly call: Record<'statevisor' | 'pm2', number[]>;
  readonly checks: Check[];
}

async function measureR2(ctx: RunContext): Promise<R2Data> {
  const n = ctx.quick ? 6 : 20;
  const warm = ctx.quick ? 1 : 3;
  const d: R2Data = { dead: { statevisor: [], pm2: [], raw: [] }, call: { statevisor: [], pm2: [] }, checks: [] };
  await withPeers('r2', d.checks, async (hellos, app, pm2) => {
    const failures = counter(app);
    let pm2Started = false;
    let seq = 0;
    const sides = {
      statevisor: async () => {
        const name = `s${++seq}`;
        const config = { command: process.execPath, args: [hellos.script], env: hellos.env('sv'), readyIndicator: 'ready' };
        return stopOnce(hellos, 'sv', () => app.add(processTask(name, config, { restart: 'never' })), () => app.child(name).stop());
      },
      pm2: async () => {
        const start = pm2Started ? () => pm2.restart('pm2') : () => pm2.start({ name: 'pm2', script: hellos.script, env: hellos.env('pm2'), autorestart: true });
        pm2Started = true;
        return stopOnce(hellos, 'pm2', start, () => pm2.stop('pm2'));
      },
      raw: async () => {
        const start = (): Promise<void> => {
          const child = spawn(process.execPath, [hellos.script], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...hellos.env('raw') } });
          child.stdout.resume();
          child.stderr.resume();
          return Promise.resolve();
        };
        const kill = (pid: number): Promise<void> => {
          killPid(-pid, 'SIGTERM');
          return Promise.resolve();
        };
        return stopOnce(hellos, 'raw', start, kill);
      },
    } as const;
    const keys = ['statevisor', 'pm2', 'raw'] as const;
    for (let round = 0; round < warm + n; round++) {
      for (let k = 0; k < keys.length; k++) {
        const key = keys[(k + round) % keys.length] ?? 'raw';
        const x = await sides[key]();
        if (round < warm) continue;
        d.dead[key].push(x.dead);
        if (key !== 'raw') d.call[key].push(x.call);
        await macrotask();
      }
    }
    d.checks.push({
      name: 'every supervised stop ended as a stop',
      ok: failures.failed === 0 && failures.fatal === 0,
      detail: `${failures.failed} TaskFailed, ${failures.fatal} TaskError/ActorDead ${failures.last}`,
    });
  });
  return d;
}

let r1: Promise<R1Data> | undefined;

function r1Scenario(id: 'R1' | 'R1.loop'): Scenario {
  const name = id === 'R1' ? 'peer.restart' : 'peer.restart.loop';
  return {
    id,
    name,
    async run(ctx: RunContext): Promise<ScenarioResult> {
      r1 ??= measureR1(ctx);
      const d = await r1;
      const row = {
        id,
        name,
        target: id === 'R1' ? 0.6 : 1.15,
        band: 0.2,
        baselineLabel:
          id === 'R1' ? 'pm2 7 (pm2.start({ autorestart: true, restart_delay: 0 })): SIGKILL -> next hello' : "hand-written loop (spawn again on 'exit'): SIGKILL -> next hello",
        frameworkLabel: "processTask(.., { readyIndicator: 'ready' }, { restart: 'always', backoff 0 }): SIGKILL -> next hello",
      };
      const other = id === 'R1' ? d.samples.loop : d.samples.pm2;
      return latencyResult(row, 50, id === 'R1' ? d.samples.pm2 : d.samples.loop, d.samples.statevisor, d.checks, {
        [id === 'R1' ? 'loopP50' : 'pm2P50']: round3(pct(other, 50)),
      });
    },
  };
}

const r2: Scenario = {
  id: 'R2',
  name: 'peer.stop',
  async run(ctx: RunContext): Promise<ScenarioResult> {
    const d = await measureR2(ctx);
    const row = {
      id: 'R2',
      name: 'peer.stop',
      target: 0.05,
      band: 0.2,
      baselineLabel: 'pm2 7 pm2.stop(name) (defaults: SIGINT, kill_timeout 1600) -> pid dead',
      frameworkLabel: 'app.child(name).stop() (defaults: SIGTERM) -> pid dead',
    };
    return latencyResult(row, 50, d.dead.pm2, d.dead.statevisor, d.checks, {
      rawKillP50: round3(pct(d.dead.raw, 50)),
      statevisorVsRawKillP50: pct(d.dead.statevisor, 50) / pct(d.dead.raw, 50),
      statevisorCallP50: round3(pct(d.call.statevisor, 50)),
      pm2CallP50: round3(pct(d.call.pm2, 50)),
    });
  },
};

/** R1 (vs pm2 and vs a hand-written loop) and R2, in a group of their own (each runs a pm2 daemon). */
export const group: BenchGroup = {
  name: 'peers-process',
  scenarios: [r1Scenario('R1'), r1Scenario('R1.loop'), r2],
};
