/**
 * Builds the viewer page: bundles `viewer/src/main.tsx` (preact, dagre and the page's own
 * code) with esbuild and writes one self-contained `dist/viewer/index.html`, with the script and
 * the CSS inlined, so the page needs nothing from any host but its own server. Runs in
 * `pnpm build` and as the inspect tests' global setup.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const viewer = (path: string): string => fileURLToPath(new URL(`../viewer/${path}`, import.meta.url));

/** `</script` inside inlined code would end the element early. */
const inlineSafe = (code: string): string => code.replace(/<\/(script|style)/gi, '<\\/$1');

/**
 * Builds the page and returns its path.
 *
 * @example
 * ```ts
 * const page = await buildViewer(); // .../packages/inspect/dist/viewer/index.html
 * ```
 */
export async function buildViewer(): Promise<string> {
  const outDir = fileURLToPath(new URL('../dist/viewer/', import.meta.url));
  const out = `${outDir}index.html`;
  const result = await build({
    entryPoints: [viewer('src/main.tsx')],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: viewer('tsconfig.json'),
    write: false,
    outdir: outDir,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
  const css = await readFile(viewer('src/ui/styles.css'), 'utf8');
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // An inline favicon, so the browser asks no server for /favicon.ico.
    '<link rel="icon" href="data:,">',
    '<title>Statevisor viewer</title>',
    `<style>${inlineSafe(css)}</style>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    `<script>${inlineSafe(js)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  await mkdir(outDir, { recursive: true });
  await writeFile(out, html);
  return out;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await buildViewer();
