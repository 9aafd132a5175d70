import { defineConfig } from 'vitest/config';

const BROWSER_TESTS = 'e2e/web/**/*.test.ts';
// Real media (Chromium or GStreamer peers + Janus), each scenario in its own network namespace
// (e2e/media/netns-run.sh), the media benchmark's smoke run among them.
const MEDIA_TESTS = ['e2e/media/**/*.test.ts', 'bench/scenarios/media.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['packages/*/src/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: [BROWSER_TESTS, ...MEDIA_TESTS, '**/node_modules/**'],
          // Integration suites each start a real server; two cores run two at a time.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: [BROWSER_TESTS],
          // After the node suites, one file at a time: each drives Chromium (several renderer
          // processes) against its own server, which would starve timing-sensitive suites beside it.
          sequence: { groupOrder: 1 },
          maxWorkers: 1,
          // expect.poll's 1 s default is shorter than one refetch on a loaded CI machine: the same
          // generous wait the pages get (e2e/web/ui.ts UI_TIMEOUT).
          expect: { poll: { timeout: 15_000 } },
          // One retry: on a fresh-clone CI machine a different browser test failed in each of the
          // last runs and passed alone (a slow save, a slow app reload, a screening list that did not
          // refresh); vitest reports each retry, so a flaky test still shows in the output.
          retry: 1,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'media',
          include: MEDIA_TESTS,
          // Last and alone: three Chromium profiles and Janus per scenario load both cores.
          sequence: { groupOrder: 2 },
          maxWorkers: 1,
          // One retry, as above: the simulcast layer switch once timed out under a loaded CI run.
          retry: 1,
          testTimeout: 420_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
