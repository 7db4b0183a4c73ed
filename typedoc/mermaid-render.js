// Runs in the browser on each page of the API site that has a ```mermaid block (added by
// mermaid.mjs, after assets/mermaid.min.js). TypeDoc writes a block as
// <pre><code class="mermaid">…</code></pre>; each is replaced by the SVG that mermaid draws from
// its text. A block mermaid cannot draw stays as text, and the error goes to the console.
/* global mermaid */
(() => {
  const blocks = [...document.querySelectorAll('pre > code.mermaid')];
  if (blocks.length === 0) return;
  // TypeDoc's theme switch: 'light', 'dark' or 'os' (follow the system).
  const theme = document.documentElement.dataset.theme;
  const dark = theme === 'dark' || (theme !== 'light' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
  // One at a time: mermaid's render is not meant to run concurrently.
  void (async () => {
    for (const [index, code] of blocks.entries()) {
      try {
        const { svg } = await mermaid.render(`statevisor-mermaid-${index}`, code.textContent ?? '');
        const figure = document.createElement('div');
        figure.className = 'mermaid-diagram';
        figure.innerHTML = svg;
        // A wide diagram (the task machine's) keeps its own size and scrolls sideways: shrunk
        // to the column, its labels could not be read.
        figure.style.overflowX = 'auto';
        const drawn = figure.querySelector('svg');
        if (drawn !== null && drawn.style.maxWidth !== '') drawn.style.width = drawn.style.maxWidth;
        code.parentElement.replaceWith(figure);
      } catch (error) {
        console.error('mermaid could not draw a diagram', error);
      }
    }
  })();
})();
