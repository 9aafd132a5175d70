/** Files up to this size are hashed in the browser before upload (the whole file is read into memory once). */
export const HASHED_MAX_BYTES = 64 * 1024 ** 2;

/**
 * Lowercase hex sha256 of a small file, which the server checks against what it received
 * (CHECKSUM_MISMATCH otherwise), or null: too large to read at once, or no Web Crypto (a plain-HTTP
 * intranet address is not a secure context); TCP and tus offsets still guard those uploads.
 */
export async function wholeFileSha256(blob: Blob): Promise<string | null> {
  const subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle;
  if (!subtle || blob.size > HASHED_MAX_BYTES) return null;
  const digest = new Uint8Array(await subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
