/**
 * Builds the viewer page (dist/viewer/index.html) before the inspect tests, the way
 * `pnpm build` does, so a fresh clone's `pnpm test` serves the page it ships.
 */
import { buildViewer } from '../scripts/build-viewer.ts';

export default async function setup(): Promise<void> {
  await buildViewer();
}
