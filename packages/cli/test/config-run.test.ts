import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderWith, removeFolders } from './config-helpers.ts';
import { runCli } from './run-cli.ts';

afterEach(removeFolders);

describe('statevisor run with a bad config (the real binary)', { timeout: 30_000 }, () => {
  it('exits 2 and prints every problem as file:line: path: message, starting nothing', async () => {
    const dir = folderWith({
      'statevisor.config.json': JSON.stringify({ processes: { web: { command: 'touch started', restrat: 'always' }, worker: { command: 'node w.js > log', dependsOn: ['db'] } } }, null, 2),
    });
    const result = await runCli(['run'], { cwd: dir });
    const file = join(dir, 'statevisor.config.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`3 problems in ${file}:`);
    expect(result.stderr).toContain(`${file}:5: processes.web.restrat: unknown key`);
    expect(result.stderr).toContain(`${file}:8: processes.worker.command: uses ">"`);
    expect(result.stderr).toContain(`${file}:10: processes.worker.dependsOn[0]: "db" is not a sibling`);
    expect(existsSync(join(dir, 'started'))).toBe(false);
  });

  it('exits 2 naming the folder and the names looked for when there is no config', async () => {
    const dir = folderWith({});
    const result = await runCli(['run'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no config file in ${dir} (looked for statevisor.config.ts,`);
  });
});
