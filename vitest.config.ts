import { defineConfig } from 'vitest/config';

const conditions = ['@statevisor/source'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: '@statevisor/core',
          root: 'packages/core',
          include: ['test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: '@statevisor/process',
          root: 'packages/process',
          include: ['test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: '@statevisor/inspect',
          root: 'packages/inspect',
          include: ['test/**/*.test.ts'],
          // Builds the viewer page once (dist/viewer/index.html), as `pnpm build` does.
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'statevisor',
          root: 'packages/cli',
          include: ['test/**/*.test.ts'],
          globalSetup: ['../inspect/test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // Runs every example program (examples/src/*.ts) for real.
          name: '@statevisor/examples',
          root: 'examples',
          include: ['test/**/*.test.ts'],
          // The viewer example serves the page that `pnpm build` builds.
          globalSetup: ['../packages/inspect/test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // Checks of the repository itself: package metadata.
          name: 'repo',
          root: '.',
          include: ['test/**/*.test.ts'],
        },
      },
    ],
    reporters: ['default'],
  },
});
