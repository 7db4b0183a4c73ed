/**
 * serveViewer's options and source are checked before anything listens: a bad one is a
 * ConfigError naming the field.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, createSupervisor } from '@statevisor/core';
import type { Supervisor } from '@statevisor/core';
import { serveViewer } from '../src/index.ts';
import type { ViewerOptions } from '../src/index.ts';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function listening(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

async function configError(run: Promise<unknown>): Promise<ConfigError> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('serveViewer options', () => {
  const app: Supervisor = createSupervisor({ name: 'app', children: [] });

  it.each([
    ['port', -1],
    ['port', 65_536],
    ['port', 1.5],
    ['port', '8080'],
    ['host', ''],
    ['host', 7],
    ['token', 'short'],
    ['token', 'has spaces in it, sixteen+'],
    ['token', 42],
    ['historyLimit', 0],
    ['historyLimit', Number.NaN],
    ['clientBufferBytes', -5],
    ['clientBufferBytes', Number.POSITIVE_INFINITY],
    ['inspect', 'yes'],
    ['colour', true],
  ])('refuses %s = %j with a ConfigError naming it, before listening', async (field, value) => {
    const port = await freePort();
    const options = { port, [field]: value } as unknown as ViewerOptions;
    const error = await configError(serveViewer(app, options));
    expect(error.field).toBe(field);
    expect(error.code).toBe('ERR_INVALID_CONFIG');
    expect(await listening(port)).toBe(false);
  });

  it('does not quote a bad token in the error (it is a secret)', async () => {
    const error = await configError(serveViewer(app, { token: 'almost-a-secret!' }));
    expect(error.message).not.toContain('almost-a-secret');
    expect(error.message).toContain('16 characters');
  });

  it('refuses options that are not an object, and a source that is neither an app nor a path', async () => {
    expect((await configError(serveViewer(app, 'fast' as unknown as ViewerOptions))).field).toBe('options');
    expect((await configError(serveViewer(42 as unknown as Supervisor))).field).toBe('source');
    expect((await configError(serveViewer({ name: 'fake' } as unknown as Supervisor))).field).toBe('source');
    expect((await configError(serveViewer(''))).field).toBe('source');
  });

  it('checks the options before the recording (a missing file with bad options is a ConfigError)', async () => {
    expect((await configError(serveViewer('/nonexistent.jsonl', { port: -1 }))).field).toBe('port');
  });
});
