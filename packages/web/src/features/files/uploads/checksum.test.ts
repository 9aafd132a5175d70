import { describe, expect, it } from 'vitest';
import { HASHED_MAX_BYTES, wholeFileSha256 } from './checksum.ts';

describe('wholeFileSha256', () => {
  it('hashes a small file as lowercase hex sha256', async () => {
    await expect(wholeFileSha256(new Blob(['abc']))).resolves.toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('leaves files larger than the in-memory limit unhashed', async () => {
    const big = { size: HASHED_MAX_BYTES + 1 } as Blob;
    await expect(wholeFileSha256(big)).resolves.toBeNull();
  });
});
