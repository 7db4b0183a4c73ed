/**
 * The memory check of `maxMemoryBytes`: the resident memory (RSS) of every process of the
 * attempt's group, summed, read from /proc (Linux). A process's group is field `pgrp` of
 * `/proc/<pid>/stat`; its RSS is `VmRSS` of `/proc/<pid>/status`. Samplers that run at the same
 * moment share one scan of /proc.
 *
 * @module
 */
import { readFile, readdir } from 'node:fs/promises';
import type { ProbeCheck } from './scheduler.ts';

/**
 * How often the group's memory is sampled.
 *
 * @example
 * ```ts
 * new ProbeLoop(memoryCheck(pgid, limit), { initialDelayMs: MEMORY_SAMPLE_MS, periodMs: MEMORY_SAMPLE_MS, timeoutMs: Infinity }, clock, observer);
 * ```
 */
export const MEMORY_SAMPLE_MS = 1_000;

/** The scan in progress, shared by every sampler that asks meanwhile. */
let scanning: Promise<ReadonlyMap<number, readonly number[]>> | undefined;

/**
 * The resident memory of process group `pgid` in bytes: the sum over its live members (0 when
 * it has none).
 *
 * @example
 * ```ts
 * const bytes = await groupRss(child.pid);
 * ```
 */
export async function groupRss(pgid: number): Promise<number> {
  const members = (await scanGroups()).get(pgid) ?? [];
  const sizes = await Promise.all(members.map(residentBytes));
  return sizes.reduce((sum, bytes) => sum + bytes, 0);
}

/**
 * A check that fails when group `pgid` uses more than `maxBytes` of resident memory. A sample
 * that cannot be taken (/proc unreadable) is no failure.
 *
 * @example
 * ```ts
 * await memoryCheck(child.pid, 256 * 1024 * 1024).run(signal); // undefined, or "the process group's resident memory is ..., above maxMemoryBytes ..."
 * ```
 */
export function memoryCheck(pgid: number, maxBytes: number): ProbeCheck {
  return {
    target: `the resident memory of process group ${pgid}`,
    run: async () => {
      let bytes: number;
      try {
        bytes = await groupRss(pgid);
      } catch {
        return undefined;
      }
      return bytes > maxBytes
        ? `the process group's resident memory is ${formatBytes(bytes)}, above maxMemoryBytes ${formatBytes(maxBytes)}`
        : undefined;
    },
  };
}

/**
 * Bytes, readable and exact: `150.0 MiB (157286400 bytes)`.
 *
 * @example
 * ```ts
 * formatBytes(1_048_576); // '1.0 MiB (1048576 bytes)'
 * ```
 */
export function formatBytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB (${bytes} bytes)`;
}

function scanGroups(): Promise<ReadonlyMap<number, readonly number[]>> {
  scanning ??= scanProc().finally(() => {
    scanning = undefined;
  });
  return scanning;
}

/** Every live process of the host, by process group. */
async function scanProc(): Promise<ReadonlyMap<number, readonly number[]>> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const groups = new Map<number, number[]>();
  await Promise.all(
    pids.map(async (pid) => {
      const pgrp = await groupOf(pid);
      if (pgrp === undefined) return;
      const members = groups.get(pgrp);
      if (members === undefined) groups.set(pgrp, [Number(pid)]);
      else members.push(Number(pid));
    }),
  );
  return groups;
}

/** Field `pgrp` of `/proc/<pid>/stat`, or undefined when the process is gone or a zombie. */
async function groupOf(pid: string): Promise<number | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  const pgrp = Number(fields[2]);
  return Number.isInteger(pgrp) ? pgrp : undefined;
}

/** `VmRSS` of `/proc/<pid>/status` in bytes; 0 when the process is gone or has none (a zombie). */
async function residentBytes(pid: number): Promise<number> {
  let status: string;
  try {
    status = await readFile(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0;
  }
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match === null ? 0 : Number(match[1]) * 1024;
}
