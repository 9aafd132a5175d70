import type { ImportLdapBody, ImportReport, LdapSource, SavedLdapConfig } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { csvEntries } from './csv.ts';
import type { DepartmentsRepo } from './departments.repo.ts';
import { runImport, type ImporterDeps } from './importer.ts';
import { ldapEntries } from './ldap.ts';

export interface DirectoryImports {
  csv(text: string, dryRun: boolean): Promise<ImportReport>;
  /** The bind password is used for this call only, unless `save` asks to keep it (sealed). */
  ldap(body: ImportLdapBody): Promise<ImportReport>;
  ldapConfig(): Promise<SavedLdapConfig>;
}

export interface DirectoryImportsDeps extends ImporterDeps {
  repo: DepartmentsRepo;
  keyring: Keyring;
  /** Reads entries from an LDAP server; the real client unless a test swaps it. */
  readLdap?: typeof ldapEntries;
  now?: () => number;
}

const LDAP = 'ldap';
const SECRET_CONTEXT = 'directory_sources.secret:ldap';

/** CSV and LDAP imports into the directory, and the saved LDAP configuration. */
export function createDirectoryImports(d: DirectoryImportsDeps): DirectoryImports {
  const now = d.now ?? Date.now;
  const readLdap = d.readLdap ?? ldapEntries;

  async function saved(): Promise<{ source: LdapSource | null; password: string | null }> {
    const row = await d.repo.savedSource(LDAP);
    if (!row) return { source: null, password: null };
    return {
      source: JSON.parse(row.config) as LdapSource,
      password: row.secretEnc === null ? null : d.keyring.open(row.secretEnc, SECRET_CONTEXT),
    };
  }

  return {
    csv: (text, dryRun) => runImport(d, csvEntries(text), dryRun),

    async ldap(body) {
      const source: LdapSource = {
        url: body.url,
        bindDN: body.bindDN,
        baseDN: body.baseDN,
        filter: body.filter,
        attributes: body.attributes,
      };
      let password = body.password;
      if (password === undefined) {
        const keep = await saved();
        if (keep.password === null && body.bindDN) {
          throw AppError.validation([{ path: '/password', message: 'no password given and none saved' }]);
        }
        password = keep.password ?? '';
      }
      const entries = await readLdap(source, password);
      if (body.save) {
        const secret = body.password === undefined ? (await d.repo.savedSource(LDAP))?.secretEnc : undefined;
        await d.repo.saveSource(
          LDAP,
          JSON.stringify(source),
          body.password !== undefined ? d.keyring.seal(body.password, SECRET_CONTEXT) : (secret ?? null),
          now(),
        );
      }
      return runImport(d, entries, body.dryRun);
    },

    async ldapConfig() {
      const row = await d.repo.savedSource(LDAP);
      return {
        source: row ? (JSON.parse(row.config) as LdapSource) : null,
        hasPassword: row?.secretEnc != null,
      };
    },
  };
}
