import { createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { LicensePayload } from '@zhixin/protocol';
import { Compile } from 'typebox/compile';
import { AppError } from '../../errors.ts';

/** The first line of every license file; the format may change only with a new version. */
export const LICENSE_FORMAT = 'zhixin-license/1';

/**
 * A license file is JSON: `{format, payload, signature}` where `payload` is the base64 of the
 * payload's JSON and `signature` the base64 Ed25519 signature over those base64 bytes. Signing the
 * encoded form means no JSON canonicalisation is needed to verify.
 */
interface LicenseFile {
  format: typeof LICENSE_FORMAT;
  payload: string;
  signature: string;
}

const payloadCheck = Compile(LicensePayload);
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A public key from config: base64 SPKI DER, base64 raw 32 bytes, or PEM. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
  const der = Buffer.from(trimmed, 'base64');
  const spki = der.length === 32 ? Buffer.concat([SPKI_ED25519_PREFIX, der]) : der;
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
}

/** The base64 SPKI DER form of a public key (what `license.publicKeys` holds). */
export function publicKeyText(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}

export function signLicense(privateKeyPem: string, payload: LicensePayload): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 private key');
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64');
  const signature = sign(null, Buffer.from(encoded), key).toString('base64');
  const file: LicenseFile = { format: LICENSE_FORMAT, payload: encoded, signature };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A new payload valid from now for `days` days. */
export function newPayload(
  licensee: string,
  maxUsers: number,
  days: number,
  now = Date.now(),
): LicensePayload {
  return {
    id: randomUUID(),
    licensee,
    maxUsers,
    validFrom: now,
    validUntil: now + days * 86_400_000,
    issuedAt: now,
  };
}

function invalid(reason: string): AppError {
  return new AppError('LICENSE_INVALID', { reason });
}

function parseFile(text: string): LicenseFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  const f = raw as Partial<LicenseFile> | null;
  if (!f || typeof f !== 'object' || f.format !== LICENSE_FORMAT) throw invalid('unknown format');
  if (typeof f.payload !== 'string' || typeof f.signature !== 'string') throw invalid('missing fields');
  return { format: f.format, payload: f.payload, signature: f.signature };
}

/** The payload of a license file signed by one of `keys`; LICENSE_INVALID otherwise. */
export function verifyLicense(text: string, keys: readonly KeyObject[]): LicensePayload {
  const file = parseFile(text);
  if (keys.length === 0) throw invalid('no license public key is configured (license.publicKeys)');
  const signature = Buffer.from(file.signature, 'base64');
  const signed = keys.some((k) => verify(null, Buffer.from(file.payload), k, signature));
  if (!signed) throw invalid('signature does not verify');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(file.payload, 'base64').toString('utf8'));
  } catch {
    throw invalid('payload is not JSON');
  }
  if (!payloadCheck.Check(payload)) throw invalid('payload does not match its schema');
  if (payload.validUntil <= payload.validFrom) throw invalid('validUntil is not after validFrom');
  return payload;
}

/** The payload without checking the signature (for `zhixin license show` of a file). */
export function readPayloadUnverified(text: string): LicensePayload | null {
  try {
    const payload: unknown = JSON.parse(Buffer.from(parseFile(text).payload, 'base64').toString('utf8'));
    return payloadCheck.Check(payload) ? payload : null;
  } catch {
    return null;
  }
}
