import { createSupervisor, type SupervisorEvent } from '@statevisor/core';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigFileError, loadConfig, type LoadedConfig } from '../src/config/load-config.ts';
import { folderWith, removeFolders } from './config-helpers.ts';

afterEach(removeFolders);

const DEFINE_CONFIG = fileURLToPath(new URL('../src/config/define-config.ts', import.meta.url));

const CONFIG = {
  processes: {
    web: { command: 'node server.js --port 8080', readyIndicator: 'listening', env: { PORT: '8080' } },
    worker: { command: ['node', 'worker.js'], dependsOn: ['web'], restart: 'always', backoff: { firstMs: 100 } },
  },
  groups: { jobs: { strategy: 'one-for-all', dependsOn: ['web'], processes: { mail: { command: "node 'mail job.js'" } } } },
};

const YAML = `processes:
  web:
    command: node server.js --port 8080
    readyIndicator: listening
    env: { PORT: "8080" }
  worker:
    command: [node, worker.js]
    dependsOn: [web]
    restart: always
    backoff: { firstMs: 100 }
groups:
  jobs:
    strategy: one-for-all
    dependsOn: [web]
    processes:
      mail: { command: "node 'mail job.js'" }
`;

function comparable(loaded: LoadedConfig): unknown {
  return { config: loaded.config, supervisor: JSON.parse(JSON.stringify(loaded.supervisor)) as unknown };
}

async function problemsOf(dir: string, file?: string): Promise<ConfigFileError> {
  const error: unknown = await loadConfig(file === undefined ? { cwd: dir } : { cwd: dir, file }).catch((e: unknown) => e);
  if (!(error instanceof ConfigFileError)) throw new Error(`expected a ConfigFileError, got ${String(error)}`);
  return error;
}

/** Runs the loaded supervisor until every process has ended, and returns each process's output lines. */
async function outputOf(loaded: LoadedConfig, names: readonly string[]): Promise<Record<string, string[]>> {
  const app = createSupervisor(loaded.supervisor);
  const lines: Record<string, string[]> = {};
  app.events$.subscribe((event: SupervisorEvent) => {
    if (event.kind === 'TaskOutput') (lines[event.task.slice(loaded.name.length + 1)] ??= []).push(event.line);
  });
  await app.start();
  try {
    for (const name of names) await app.outcome(name);
  } finally {
    await app.shutdown();
  }
  return lines;
}

describe('config formats', () => {
  it('YAML, JSON, .mjs (a function) and .ts (defineConfig) load to the same config and supervisor options', async () => {
    const dir = folderWith({
      'a.yaml': YAML,
      'b.json': JSON.stringify(CONFIG, null, 2),
      'c.mjs': `export default async () => (${JSON.stringify(CONFIG)});\n`,
      'd.ts': `import { defineConfig } from ${JSON.stringify(DEFINE_CONFIG)};\nexport default defineConfig(${JSON.stringify(CONFIG)});\n`,
    });
    const [yaml, json, mjs, ts] = await Promise.all(['a.yaml', 'b.json', 'c.mjs', 'd.ts'].map((file) => loadConfig({ cwd: dir, file })));
    expect(yaml?.config).toEqual(CONFIG);
    for (const other of [json, mjs, ts]) expect(comparable(other as LoadedConfig)).toEqual(comparable(yaml as LoadedConfig));
  });

  it('reports JSON problems with the line of the field, and a syntax error with its line', async () => {
    const dir = folderWith({
      'bad.json': '{\n  "processes": {\n    "web": {\n      "command": 42,\n      "killSignal": "SIGNOPE"\n    }\n  }\n}\n',
      'broken.json': '{\n  "processes": {\n    "web": { "command": "x", }\n  }\n}\n',
    });
    const bad = await problemsOf(dir, 'bad.json');
    expect(bad.problems.map((p) => [p.line, p.path])).toEqual([
      [4, 'processes.web.command'],
      [5, 'processes.web.killSignal'],
    ]);
    const broken = await problemsOf(dir, 'broken.json');
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]?.line).toBe(3);
  });

  it('reports a YAML syntax error with its line', async () => {
    const dir = folderWith({ 'statevisor.config.yaml': 'processes:\n  web:\n    command: [node, x\n  worker: {}\n' });
    const error = await problemsOf(dir);
    expect(error.problems[0]?.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/statevisor\.config\.yaml:\d+: /);
  });

  it('reports a module config without line numbers, path only', async () => {
    const dir = folderWith({ 'statevisor.config.mjs': 'export default { processes: { web: { command: "x", restart: "sometimes" } } };\n' });
    const error = await problemsOf(dir);
    expect(error.problems).toEqual([{ path: 'processes.web.restart', message: expect.stringContaining('"on-failure"') as unknown }]);
    expect(error.message).toContain('statevisor.config.mjs: processes.web.restart: ');
  });

  it('refuses a module without a default export, and one whose import throws', async () => {
    const dir = folderWith({ 'none.mjs': 'export const config = {};\n', 'throws.mjs': 'throw new Error("boom");\n' });
    expect((await problemsOf(dir, 'none.mjs')).message).toContain('has no default export');
    expect((await problemsOf(dir, 'throws.mjs')).message).toContain('boom');
  });

  it('reads a Procfile: each line a process run with sh -c, restarted always; a bad line is a problem with its line', async () => {
    const dir = folderWith({ Procfile: '# services\nweb: node server.js | tee web.log\n\nworker:   node worker.js\n' });
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded.config.processes).toEqual({
      web: { command: 'node server.js | tee web.log', shell: true, restart: 'always' },
      worker: { command: 'node worker.js', shell: true, restart: 'always' },
    });
    expect(loaded.supervisor.children?.map((c) => [c.name, c.options.restart])).toEqual([
      ['web', 'always'],
      ['worker', 'always'],
    ]);
    const bad = folderWith({ Procfile: 'web: node a.js\nthis is not a process\nweb: node b.js\n' });
    expect((await problemsOf(bad)).problems.map((p) => p.line)).toEqual([2, 3]);
  });

  it('loads envFile under env (env wins), relative to the config, and runs commands in the config folder', async () => {
    const script = 'console.log([process.env.A, process.env.B, process.env.C, process.cwd()].join(","))';
    const dir = folderWith({
      '.env': 'A=from-file\nB=from-file\n# comment\n',
      'more.env': 'C="quoted value"\n',
      'statevisor.config.yaml': `processes:\n  show:\n    command: [node, -e, '${script}']\n    envFile: [.env, more.env]\n    env: { B: from-env }\n`,
    });
    const loaded = await loadConfig({ cwd: '/', file: `${dir}/statevisor.config.yaml` });
    expect((await outputOf(loaded, ['show']))['show']).toEqual([`from-file,from-env,quoted value,${dir}`]);
  });

  it('names a missing envFile, at its place in the list', async () => {
    const dir = folderWith({ '.env': 'A=1\n', 'statevisor.config.yaml': 'processes:\n  web:\n    command: node a.js\n    envFile: [.env, missing.env]\n' });
    const error = await problemsOf(dir);
    expect(error.problems).toEqual([{ line: 4, path: 'processes.web.envFile[1]', message: `no such file: ${dir}/missing.env` }]);
  });

  it('runs a shell: true command with sh -c, and a split command without a shell', async () => {
    const dir = folderWith({
      'statevisor.config.yaml': [
        'processes:',
        '  piped: { command: "echo one two | tr a-z A-Z", shell: true }',
        `  split: { command: "node -e 'console.log(process.argv.slice(1).join(\\"|\\"))' \\"a b\\" c\\\\ d '$HOME'" }`,
      ].join('\n'),
    });
    const output = await outputOf(await loadConfig({ cwd: dir }), ['piped', 'split']);
    expect(output).toEqual({ piped: ['ONE TWO'], split: ['a b|c d|$HOME'] });
  });

  it('maps the validation of processTask and supervisor back to the config path, with every such problem', async () => {
    const dir = folderWith({
      'statevisor.config.yaml': [
        'processes:',
        '  web:',
        '    command: node a.js',
        '    readyTimeoutMs: 1000',
        'groups:',
        '  jobs:',
        '    backoff: { firstMs: 100, maxMs: 10 }',
        '    processes:',
        '      a: { command: node a.js, timeoutMs: 5, backoff: { firstMs: 50, maxMs: 5 } }',
      ].join('\n'),
    });
    const error = await problemsOf(dir);
    expect(error.problems.map((p) => [p.line, p.path])).toEqual([
      [4, 'processes.web.readyTimeoutMs'],
      [7, 'groups.jobs.backoff.firstMs'],
      [9, 'groups.jobs.processes.a.backoff.firstMs'],
    ]);
  });
});
