import type { KeyObject } from 'node:crypto';
import type { LicensePayload, LicenseState, LicenseStatus } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { newId } from '../../platform/ids.ts';
import { verifyLicense } from './license.codec.ts';
import type { LicenseRepo } from './license.repo.ts';

/** The license: the seat cap in force and its state. */
export interface LicenseService {
  status(): Promise<LicenseStatus>;
  /** Verify and install a license file; LICENSE_INVALID (bad file or signature), LICENSE_EXPIRED. */
  install(text: string, installedBy: string | null): Promise<LicenseStatus>;
  /**
   * Throws unless one more user may take a seat now: LICENSE_EXHAUSTED at the cap, LICENSE_EXPIRED
   * after the license ended (existing users keep working; new ones are refused).
   */
  ensureSeat(): Promise<void>;
}

export interface LicenseServiceDeps {
  repo: LicenseRepo;
  publicKeys: readonly KeyObject[];
  /** The evaluation cap without a valid license (`license.maxUsers`). */
  evaluationMaxUsers: number;
  /** Users holding a seat (active users). */
  countUsed: () => Promise<number>;
  now?: () => number;
}

interface InForce {
  state: LicenseState;
  license: LicensePayload | null;
  maxUsers: number;
  installedAt: number | null;
}

export function createLicenseService(d: LicenseServiceDeps): LicenseService {
  const now = d.now ?? Date.now;

  async function inForce(): Promise<InForce> {
    const row = await d.repo.current();
    const evaluation = {
      license: null,
      maxUsers: d.evaluationMaxUsers,
      installedAt: row?.installedAt ?? null,
    };
    if (!row) return { ...evaluation, state: 'missing' };
    let license: LicensePayload;
    try {
      license = verifyLicense(row.text, d.publicKeys);
    } catch {
      // A stored file that no longer verifies (keys rotated, row edited) grants nothing beyond evaluation.
      return { ...evaluation, state: 'invalid' };
    }
    const t = now();
    const state: LicenseState =
      t < license.validFrom ? 'notYetValid' : t >= license.validUntil ? 'expired' : 'valid';
    if (state === 'notYetValid') return { ...evaluation, state, license };
    return { state, license, maxUsers: license.maxUsers, installedAt: row.installedAt };
  }

  async function status(): Promise<LicenseStatus> {
    const f = await inForce();
    const used = await d.countUsed();
    return {
      state: f.state,
      license: f.license,
      maxUsers: f.maxUsers,
      used,
      acceptsNewUsers: f.state !== 'expired' && used < f.maxUsers,
      installedAt: f.installedAt,
    };
  }

  return {
    status,
    async install(text, installedBy) {
      const license = verifyLicense(text.trim(), d.publicKeys);
      if (license.validUntil <= now())
        throw new AppError('LICENSE_EXPIRED', { validUntil: license.validUntil });
      await d.repo.insert({ id: newId(), text: text.trim(), installedAt: now(), installedBy });
      return status();
    },
    async ensureSeat() {
      const f = await inForce();
      if (f.state === 'expired') throw new AppError('LICENSE_EXPIRED', { validUntil: f.license?.validUntil });
      if ((await d.countUsed()) >= f.maxUsers)
        throw new AppError('LICENSE_EXHAUSTED', { maxUsers: f.maxUsers });
    },
  };
}
