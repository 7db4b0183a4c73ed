// Adds the hand-written guides (docs/*.md) to the API site as project documents, but only
// when there are any: TypeDoc warns about a glob that matches nothing, and the root config
// treats warnings as errors. Extended from typedoc.json.
import { readdirSync } from 'node:fs';

const docsDir = new URL('./docs/', import.meta.url);

function hasGuides() {
  try {
    return readdirSync(docsDir, { withFileTypes: true }).some(
      (entry) => entry.isFile() && /\.(md|markdown)$/.test(entry.name),
    );
  } catch {
    return false;
  }
}

export default {
  projectDocuments: hasGuides() ? ['docs/*.md'] : [],
};
