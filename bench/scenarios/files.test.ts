import { describe, expect, it } from 'vitest';
import { runFilesBench } from './files.ts';

describe('the files benchmark (smoke)', () => {
  it('uploads and downloads a large and many small files through a real server, measuring its RSS', async () => {
    const result = await runFilesBench({
      scenario: 'files',
      n: 12,
      duration: 0,
      flags: { size: '16', n: '12', 'small-kib': '16' },
    });
    expect(result.large).toMatchObject({ bytes: 16 * 1024 * 1024 });
    expect(result.large.uploadMiBps).toBeGreaterThan(0);
    expect(result.large.downloadMiBps).toBeGreaterThan(0);
    expect(result.large.serverRssPeakMiB).toBeGreaterThan(0);
    expect(result.large.rssSamples).toBeGreaterThan(0);
    expect(result.small).toMatchObject({ files: 12, bytesEach: 16 * 1024 });
    expect(result.small.uploadFilesPerSec).toBeGreaterThan(0);
  }, 180_000);
});
