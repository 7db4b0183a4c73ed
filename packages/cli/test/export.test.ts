import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readProcfile } from '../src/config/read-procfile.ts';
import { folderWith, removeFolders } from './config-helpers.ts';
import { runCli } from './run-cli.ts';

afterEach(removeFolders);

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('fixtures/export', import.meta.url));
const CONFIG = join(FIXTURES, 'statevisor.config.yaml');
const GOLDEN: Readonly<Record<string, string>> = { systemd: 'golden.systemd.txt', compose: 'golden.compose.yaml', procfile: 'golden.Procfile' };

/** Output with the fixture folder written `<dir>`, so the golden files hold on any machine. */
function portable(text: string): string {
  return text.replaceAll(FIXTURES, '<dir>');
}

/** Splits an `ExecStart=` value into argv as systemd does (quotes, backslashes, `$$`, `%%`). */
function systemdWords(value: string): string[] {
  const words: string[] = [];
  let rest = value.trim();
  while (rest !== '') {
    const quoted = /^"((?:[^"\\]|\\.)*)"(?:\s+|$)/.exec(rest);
    const match = quoted ?? /^(\S+)(?:\s+|$)/.exec(rest);
    if (match === null) throw new Error(`cannot split ${rest}`);
    const raw = match[1] ?? '';
    words.push((quoted === null ? raw : raw.replace(/\\(.)/g, '$1')).replaceAll('$$', '$').replaceAll('%%', '%'));
    rest = rest.slice(match[0].length);
  }
  return words;
}

describe('statevisor export (the real binary)', { timeout: 30_000 }, () => {
  it.each(['systemd', 'compose', 'procfile'])('%s: prints the golden output for the guide config', async (target) => {
    const result = await runCli(['export', target, CONFIG], { cwd: PACKAGE });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const golden = join(FIXTURES, GOLDEN[target] ?? '');
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, portable(result.stdout));
    expect(portable(result.stdout)).toBe(readFileSync(golden, 'utf8'));
    expect(result.stdout).toContain(`# Written by \`statevisor export ${target}\` from ${CONFIG}.\n# Not carried over:\n`);
  });

  it('systemd: writes units into --out whose every line is a Key=Value of a known section, with the argv and env intact', async () => {
    const out = folderWith({});
    const result = await runCli(['export', 'systemd', CONFIG, '--out', out]);
    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['shop-jobs-mail.service', 'shop-jobs-report.service', 'shop-web.service', 'shop-worker.service', 'shop.target']);
    const keys: Record<string, readonly string[]> = {
      Unit: ['Description', 'PartOf', 'After', 'Requires', 'Wants'],
      Service: ['Type', 'ExecStart', 'WorkingDirectory', 'Environment', 'EnvironmentFile', 'Restart', 'RestartSec', 'SuccessExitStatus',
        'RestartPreventExitStatus', 'KillSignal', 'KillMode', 'TimeoutStopSec', 'MemoryMax'],
      Install: ['WantedBy'],
    };
    const units: Record<string, Record<string, string[]>> = {};
    for (const name of readdirSync(out)) {
      const unit: Record<string, string[]> = {};
      let section: string | undefined;
      for (const line of readFileSync(join(out, name), 'utf8').split('\n')) {
        if (line === '' || line.startsWith('#')) continue;
        const header = /^\[(\w+)\]$/.exec(line);
        if (header !== null) {
          section = header[1];
          continue;
        }
        const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
        expect(pair, `${name}: ${line}`).not.toBeNull();
        expect(section === undefined ? [] : keys[section], `${name}: ${line} in [${section ?? ''}]`).toContain(pair?.[1]);
        (unit[pair?.[1] ?? ''] ??= []).push(pair?.[2] ?? '');
      }
      units[name] = unit;
    }
    const web = units['shop-web.service'] ?? {};
    expect(systemdWords(web['ExecStart']?.[0] ?? '')).toEqual(['node', 'server.js', '--port', '8080', '--greeting', 'hello world']);
    expect(web['Environment']?.map((value) => systemdWords(value)[0])).toEqual(['PORT=8080', 'PRICE=5$ or 100%']);
    expect(web['EnvironmentFile']).toEqual([join(FIXTURES, '.env')]);
    expect(web['TimeoutStopSec']).toEqual(['3000ms']);
    const worker = units['shop-worker.service'] ?? {};
    expect(systemdWords(worker['ExecStart']?.[0] ?? '')).toEqual(['node', 'worker.js', '--queue', 'orders high']);
    expect([worker['Restart'], worker['After'], worker['Requires'], worker['KillSignal']]).toEqual([['always'], ['shop-web.service'], ['shop-web.service'], ['SIGINT']]);
    const mail = units['shop-jobs-mail.service'] ?? {};
    expect([mail['SuccessExitStatus'], mail['RestartPreventExitStatus'], mail['After'], mail['TimeoutStopSec']]).toEqual([['3'], ['78'], ['shop-web.service'], ['8000ms']]);
    expect(systemdWords(units['shop-jobs-report.service']?.['ExecStart']?.[0] ?? '')).toEqual(['sh', '-c', 'node report.js | gzip > report.gz']);
    expect(units['shop-jobs-report.service']?.['WorkingDirectory']).toEqual([join(FIXTURES, 'reports')]);
    expect(units['shop.target']?.['Wants']).toHaveLength(4);
  });

  it('compose: one service per process with the argv, the dependency conditions and a healthcheck from the readiness probe', async () => {
    const result = await runCli(['export', 'compose', CONFIG]);
    const compose = parseYaml(result.stdout) as { services: Record<string, Record<string, unknown>> };
    expect(Object.keys(compose.services)).toEqual(['web', 'worker', 'jobs-mail', 'jobs-report']);
    expect(compose.services['worker']?.['command']).toEqual(['node', 'worker.js', '--queue', 'orders high']);
    expect(compose.services['worker']?.['depends_on']).toEqual({ web: { condition: 'service_healthy' } });
    expect(compose.services['web']?.['environment']).toEqual({ PORT: '8080', PRICE: '5$$ or 100%' });
    expect((compose.services['web']?.['healthcheck'] as { test: string[] }).test[1]).toContain('http://127.0.0.1:8080/health');
    expect(compose.services['jobs-mail']?.['restart']).toBe('on-failure:5');
  });

  it('procfile: lines a Procfile reader reads back, one per process, flattened', async () => {
    const result = await runCli(['export', 'procfile', CONFIG]);
    const read = readProcfile(result.stdout);
    expect(read.problems).toEqual([]);
    expect(Object.keys((read.value as { processes: object }).processes)).toEqual(['web', 'worker', 'jobs-mail', 'jobs-report']);
  });

  it('loads a statevisor.config.ts that imports defineConfig from "statevisor", found in the cwd', async () => {
    const dir = folderWith({
      'statevisor.config.ts': [
        "import { defineConfig } from 'statevisor';",
        'export default defineConfig({ name: "ts-app", processes: { api: { command: ["node", "api.js"] } } });',
      ].join('\n'),
    });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(PACKAGE, join(dir, 'node_modules', 'statevisor'));
    const result = await runCli(['export', 'procfile'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('\napi: node api.js\n');
  });

  it('refuses a bad config with status 2, printing every problem with file:line: path', async () => {
    const dir = folderWith({ 'statevisor.config.yaml': 'processes:\n  web:\n    comand: x\n  worker:\n    command: node a.js && b\n    dependsOn: [nope]\n' });
    const result = await runCli(['export', 'compose'], { cwd: dir });
    expect(result.code).toBe(2);
    const file = join(dir, 'statevisor.config.yaml');
    expect(result.stderr).toContain(`${file}:2: processes.web.command: required`);
    expect(result.stderr).toContain(`${file}:3: processes.web.comand: unknown key`);
    expect(result.stderr).toContain(`${file}:5: processes.worker.command: uses "&&"`);
    expect(result.stderr).toContain(`${file}:6: processes.worker.dependsOn[0]: "nope" is not a sibling`);
    expect(result.stdout).toBe('');
  });

  it('refuses an unknown engine and a missing config with status 2', async () => {
    expect((await runCli(['export', 'kubernetes'])).code).toBe(2);
    const empty = folderWith({});
    const result = await runCli(['export', 'systemd'], { cwd: empty });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no config file in ${empty}`);
  });
});
