import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { decoderService } from './test/openai-decoders.ts';

// Two tiers (STYLE 5): `unit` = pure modules in Node; `workers` = the real worker in workerd with the real models.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'client/**/*.test.ts', 'scripts/**/*.test.mjs'],
          environment: 'node',
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // Small limits so every error code is reachable quickly.
            miniflare: { bindings: { MAX_TEXT_CHARS: '600', MAX_QUEUED: '3', REQUESTS_PER_MINUTE: '30', ACK_WINDOW_SECONDS: '2', SLOW_CONSUMER_SECONDS: '1',
              // Auth is on, as deployed: tests mint tokens with this secret (testToken in test/helpers.ts).
              AUTH_SECRET: 'workerd-test-secret' },
              // MP3/FLAC reference decoders run in Node: they compile wasm from bytes, which workerd forbids.
              serviceBindings: { DECODERS: decoderService } },
          }),
        ],
        test: {
          name: 'workers',
          include: ['test/**/*.test.ts'],
          // One workerd runner for all files: the 14 MB ORT wasm makes each fresh worker start ~15 s slower.
          isolate: false,
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
