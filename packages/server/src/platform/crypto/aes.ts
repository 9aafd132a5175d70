import { createCipheriv, createDecipheriv } from 'node:crypto';
import { randomBytesPooled } from '../random.ts';

/** AES-256-GCM with a random 96-bit IV: `<iv>.<ciphertext‖tag>`, both base64url; `aad` binds it to its place. */
export function aesSeal(key: Buffer, plain: Buffer, aad: string): string {
  const iv = randomBytesPooled(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return `${iv.toString('base64url')}.${ct.toString('base64url')}`;
}

/** The inverse of {@link aesSeal}; throws when the key, the AAD or a single byte is wrong. */
export function aesOpen(key: Buffer, sealed: string, aad: string): Buffer {
  const [ivPart, ctPart] = sealed.split('.');
  if (!ivPart || !ctPart) throw new Error('malformed ciphertext');
  const iv = Buffer.from(ivPart, 'base64url');
  const data = Buffer.from(ctPart, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
}
