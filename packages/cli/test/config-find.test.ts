import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigFileError, ConfigNotFoundError } from '../src/config/config-file-error.ts';
import { CONFIG_FILE_NAMES, findConfigFile } from '../src/config/find-config.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { folderWith, removeFolders } from './config-helpers.ts';

afterEach(removeFolders);

describe('finding the config in the cwd', () => {
  it('looks for statevisor.config.{ts,mts,mjs,js,json,yaml,yml}, then a Procfile', () => {
    expect(CONFIG_FILE_NAMES).toEqual([
      'statevisor.config.ts',
      'statevisor.config.mts',
      'statevisor.config.mjs',
      'statevisor.config.js',
      'statevisor.config.json',
      'statevisor.config.yaml',
      'statevisor.config.yml',
      'Procfile',
    ]);
    for (const name of CONFIG_FILE_NAMES) {
      const dir = folderWith({ [name]: '', 'statevisor.yaml': '', 'other.json': '' });
      expect(findConfigFile(dir)).toBe(join(dir, name));
    }
  });

  it('prefers a statevisor config to a Procfile in the same folder', async () => {
    const dir = folderWith({ Procfile: 'web: node a.js\n', 'statevisor.config.yml': 'processes:\n  api: { command: node api.js }\n' });
    expect(findConfigFile(dir)).toBe(join(dir, 'statevisor.config.yml'));
    expect(Object.keys((await loadConfig({ cwd: dir })).config.processes ?? {})).toEqual(['api']);
  });

  it('refuses two statevisor configs in one folder as ambiguous, naming both', () => {
    const dir = folderWith({ 'statevisor.config.json': '{}', 'statevisor.config.yaml': '{}' });
    const error: unknown = (() => {
      try {
        return findConfigFile(dir);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as ConfigFileError).message).toContain('statevisor.config.json and statevisor.config.yaml are all in');
  });

  it('ignores a folder named like a config, and says what it looked for when nothing is there', () => {
    const dir = folderWith({});
    expect(() => findConfigFile(join(dir))).toThrow(ConfigNotFoundError);
  });

  it('takes a named file relative to the cwd, and says when it does not exist', async () => {
    const dir = folderWith({ 'my.yaml': 'processes:\n  a: { command: node a.js }\n' });
    expect((await loadConfig({ cwd: dir, file: 'my.yaml' })).file).toBe(join(dir, 'my.yaml'));
    const error: unknown = await loadConfig({ cwd: dir, file: 'nope.yaml' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as ConfigFileError).message).toBe(`1 problem in ${join(dir, 'nope.yaml')}:\n  ${join(dir, 'nope.yaml')}: no such file`);
  });
});
