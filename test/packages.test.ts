/**
 * What a published package must carry (checked on the sources, without a build): the LICENSE,
 * a README whose links still work on npm, the repository fields, one version line for every
 * published package, and a `files` list and publish-time `exports` that point into dist/.
 * `pnpm pack` in a package directory shows the same tarball contents.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const REPO = 'https://github.com/statevisor/statevisor';

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly repository?: { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly homepage?: string;
  readonly bugs?: { readonly url?: string };
  readonly files?: readonly string[];
  readonly exports?: Record<string, unknown>;
  readonly publishConfig?: { readonly exports?: Record<string, unknown> };
}

const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

const published = readdirSync(`${root}packages`)
  .filter((dir) => existsSync(`${root}packages/${dir}/package.json`))
  .map((dir) => ({ dir, manifest: JSON.parse(read(`packages/${dir}/package.json`)) as Manifest }))
  .filter(({ manifest }) => manifest.private !== true);

/** The targets of the markdown links `[text](target)` in `markdown`. */
function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
}

/** Every file path named by an `exports` map (conditions nested to any depth). */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.values(exports).flatMap(exportTargets);
}

describe('published packages', () => {
  it('are @statevisor/core, @statevisor/inspect, @statevisor/process and statevisor (the command)', () => {
    expect(published.map(({ manifest }) => manifest.name).sort()).toEqual(['@statevisor/core', '@statevisor/inspect', '@statevisor/process', 'statevisor']);
  });

  it('the root LICENSE is MIT, copyright the Statevisor authors', () => {
    const license = read('LICENSE');
    expect(license).toMatch(/^MIT License\n/);
    expect(license).toContain('Copyright (c) 2026 the Statevisor authors');
  });

  describe.each(published)('packages/$dir', ({ dir, manifest }) => {
    it('ships the root LICENSE and says MIT', () => {
      expect(manifest.license).toBe('MIT');
      expect(read(`packages/${dir}/LICENSE`)).toBe(read('LICENSE'));
    });

    it('has a README whose links work outside the repository (absolute or in-page)', () => {
      const readme = read(`packages/${dir}/README.md`);
      expect(readme).toMatch(new RegExp(`^# ${manifest.name}\\n`));
      const relative = linkTargets(readme).filter((target) => !/^(https:\/\/|#)/.test(target));
      expect(relative).toEqual([]);
    });

    it('names its repository, directory, homepage and issue tracker', () => {
      expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPO}.git`, directory: `packages/${dir}` });
      expect(manifest.homepage).toBe(`${REPO}/tree/main/packages/${dir}#readme`);
      expect(manifest.bugs).toEqual({ url: `${REPO}/issues` });
    });

    it('is on the same version line as @statevisor/core', () => {
      const core = published.find(({ manifest: other }) => other.name === '@statevisor/core');
      expect(manifest.version).toBe(core?.manifest.version);
    });

    it('publishes dist/ (without the build cache) and src/, and exports only dist/ once published', () => {
      // The command also ships the JSON Schema of its config, for editors.
      const extra = manifest.name === 'statevisor' ? ['schema'] : [];
      expect(manifest.files).toEqual(['dist', '!dist/.tsbuildinfo', 'src', ...extra]);
      const publishExports = manifest.publishConfig?.exports;
      expect(publishExports).toBeDefined();
      expect(JSON.stringify(publishExports)).not.toContain('@statevisor/source');
      const targets = exportTargets(publishExports).filter((target) => target !== './package.json');
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) expect(target).toMatch(/^\.\/dist\//);
      // In the workspace, the same entry points, plus the source condition first.
      expect(Object.keys(manifest.exports ?? {})).toEqual(Object.keys(publishExports ?? {}));
    });
  });

  it('are released together: one fixed group in the changesets config', () => {
    const config = JSON.parse(read('.changeset/config.json')) as { fixed?: string[][] };
    expect(config.fixed?.map((group) => [...group].sort())).toEqual([published.map(({ manifest }) => manifest.name).sort()]);
  });
});
