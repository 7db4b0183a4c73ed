import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('the statevisor binary', () => {
  it('prints its usage for --help and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('usage: statevisor <command>');
  });

  it('refuses an unknown command with status 2', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });
});
