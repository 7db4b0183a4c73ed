import { afterEach, describe, expect, it } from 'vitest';
import { ConfigFileError, ConfigNotFoundError, loadConfig } from '../src/config/load-config.ts';
import { folderWith, removeFolders } from './config-helpers.ts';

afterEach(removeFolders);

async function problemsOf(dir: string, file?: string): Promise<ConfigFileError> {
  const error: unknown = await loadConfig(file === undefined ? { cwd: dir } : { cwd: dir, file }).catch((e: unknown) => e);
  if (!(error instanceof ConfigFileError)) throw new Error(`expected a ConfigFileError, got ${String(error)}`);
  return error;
}

describe('loadConfig', () => {
  it('lists every problem of a YAML file at once, each with its line and field path', async () => {
    const dir = folderWith({
      'statevisor.config.yaml': [
        'processes:', //                              1
        '  web:', //                                   2
        '    command: node server.js', //              3
        '    readyIndicator: "("', //                  4
        '    comand: x', //                            5
        '  worker:', //                                6
        '    command: node worker.js | tee log', //    7
        '    dependsOn: [web, db]', //                 8
        'groups:', //                                  9
        '  jobs:', //                                  10
        '    strategy: sideways', //                   11
      ].join('\n'),
    });
    const error = await problemsOf(dir);
    expect(error.code).toBe('ERR_CONFIG_FILE');
    expect(error.problems.map((p) => [p.line, p.path])).toEqual([
      [4, 'processes.web.readyIndicator'],
      [5, 'processes.web.comand'],
      [7, 'processes.worker.command'],
      [8, 'processes.worker.dependsOn[1]'],
      [11, 'groups.jobs.strategy'],
    ]);
    expect(error.message).toContain(`${dir}/statevisor.config.yaml:7: processes.worker.command: uses "|", which needs a shell: set \`shell: true\``);
    expect(error.message).toContain('"db" is not a sibling');
  });

  it('builds supervisor options: processes, groups with their strategy, named after the folder by default', async () => {
    const dir = folderWith({
      'statevisor.config.yaml': [
        'processes:',
        '  web: { command: "node server.js", readyIndicator: listening }',
        '  worker: { command: [node, worker.js], dependsOn: [web], restart: always }',
        'groups:',
        '  jobs:',
        '    strategy: one-for-all',
        '    dependsOn: [web]',
        '    processes:',
        '      mail: { command: node mail.js }',
      ].join('\n'),
    }, 'my shop ');
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded.name).toMatch(/^my-shop-/);
    expect(loaded.supervisor.name).toBe(loaded.name);
    const children = loaded.supervisor.children ?? [];
    expect(children.map((c) => [c.type, c.name, c.options.dependsOn])).toEqual([
      ['task', 'web', undefined],
      ['task', 'worker', ['web']],
      ['supervisor', 'jobs', ['web']],
    ]);
    const jobs = children[2];
    expect(jobs?.type === 'supervisor' ? [jobs.supervisor.strategy, jobs.supervisor.children.map((c) => c.name)] : undefined).toEqual([
      'one-for-all',
      ['mail'],
    ]);
  });

  it('names the folder and the file names looked for when there is no config', async () => {
    const dir = folderWith({});
    const error: unknown = await loadConfig({ cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigNotFoundError);
    expect((error as ConfigNotFoundError).message).toContain(dir);
    expect((error as ConfigNotFoundError).message).toContain('statevisor.config.yaml');
    expect((error as ConfigNotFoundError).message).toContain('Procfile');
  });
});
