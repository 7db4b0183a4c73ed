// TypeDoc plugin: draws the ```mermaid blocks of the guides (docs/*.md) and of TSDoc comments as
// diagrams on the generated site, offline. TypeDoc writes such a block as
// <pre><code class="mermaid">…</code></pre> (typedoc.base.json lists mermaid in
// ignoredHighlightLanguages); this plugin
//   1. copies mermaid's self-contained browser bundle (node_modules/mermaid/dist/mermaid.min.js,
//      no CDN) and mermaid-render.js into the site's assets/,
//   2. adds both scripts to each page that has a mermaid block (only those pay for the bundle),
//   3. checks the written site: a page whose mermaid block would show as raw text, a missing
//      asset, or a ```mermaid fence of the guides that did not come out as a mermaid block is an
//      error, so `pnpm run docs` fails.
// Loaded from the root typedoc.json ("plugin"); TypeDoc loads plugins only from the root config.
import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PageEvent, RendererEvent } from 'typedoc';

const require = createRequire(import.meta.url);
const ASSETS = {
  'mermaid.min.js': require.resolve('mermaid/dist/mermaid.min.js'),
  'mermaid-render.js': fileURLToPath(new URL('./mermaid-render.js', import.meta.url)),
};
const BLOCK = '<code class="mermaid">';
const guidesDir = fileURLToPath(new URL('../docs/', import.meta.url));

/** Number of non-overlapping occurrences of `needle` in `text`. */
function count(text, needle) {
  return text.split(needle).length - 1;
}

/** The script tags a page at `url` (relative to the site root) needs to draw its diagrams. */
function scriptsFor(url) {
  const base = '../'.repeat(url.split('/').length - 1);
  return Object.keys(ASSETS)
    .map((name) => `<script defer src="${base}assets/${name}"></script>`)
    .join('');
}

/** Every .html file under `dir`. */
function htmlFiles(dir) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.html'))
    .map((name) => join(dir, name));
}

/** ```mermaid fences in the guides: each must come out as one mermaid block. */
function guideFences() {
  let fences = 0;
  for (const name of readdirSync(guidesDir)) {
    if (name.endsWith('.md')) fences += count(readFileSync(join(guidesDir, name), 'utf8'), '```mermaid\n');
  }
  return fences;
}

/** Problems of the written site that would leave a diagram as raw text. */
function checkSite(outputDirectory) {
  const problems = [];
  for (const name of Object.keys(ASSETS)) {
    const path = join(outputDirectory, 'assets', name);
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      // reported below
    }
    if (size === 0) problems.push(`${relative(process.cwd(), path)} is missing or empty`);
  }
  let blocks = 0;
  for (const file of htmlFiles(outputDirectory)) {
    const html = readFileSync(file, 'utf8');
    const here = count(html, BLOCK);
    blocks += here;
    const url = relative(outputDirectory, file).split('\\').join('/');
    if (here > 0 && !html.includes(scriptsFor(url))) {
      problems.push(`${url}: ${here} mermaid block(s) without the scripts that draw them`);
    }
  }
  const fences = guideFences();
  if (blocks < fences) {
    problems.push(`docs/*.md have ${fences} mermaid fences but the site has ${blocks} mermaid blocks`);
  }
  return { problems, blocks };
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.on(PageEvent.END, (page) => {
    if (page.contents?.includes(BLOCK) !== true) return;
    page.contents = page.contents.replace('</body>', `${scriptsFor(page.url)}</body>`);
  });
  app.renderer.on(RendererEvent.END, (event) => {
    for (const [name, source] of Object.entries(ASSETS)) {
      copyFileSync(source, join(event.outputDirectory, 'assets', name));
    }
    const { problems, blocks } = checkSite(event.outputDirectory);
    for (const problem of problems) app.logger.error(`mermaid: ${problem}`);
    if (problems.length === 0) app.logger.info(`mermaid: ${blocks} diagram(s) drawn in the browser`);
  });
}
