import type { LdapSource } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { ImportEntry } from './importer.ts';

const TIMEOUT_MS = 15_000;
/** Most entries one import reads (a page size the server may lower). */
const SIZE_LIMIT = 100_000;

function failed(stage: 'connect' | 'bind' | 'search', err: unknown): AppError {
  // The message of ldapts errors names the LDAP result, never the credentials.
  const message = err instanceof Error ? err.message : String(err);
  return new AppError('DIRECTORY_SOURCE_FAILED', { stage, message });
}

/** Undo RFC 4514 escapes: `\,` and `\XX` hex pairs (UTF-8 bytes). */
function unescapeRdnValue(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === '\\' && i + 1 < value.length) {
      const hex = value.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(value[i + 1] as string, 'utf8'));
        i += 1;
      }
    } else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8').trim();
}

/** Split a DN into RDNs at unescaped commas. */
function rdns(dn: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i] as string;
    if (ch === '\\' && i + 1 < dn.length) {
      cur += ch + (dn[i + 1] as string);
      i++;
    } else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * The department path of an entry from the `ou=` parts of its DN below the base DN, top down:
 * `uid=a,ou=前端组,ou=研发中心,ou=总部,dc=example,dc=org` under `dc=example,dc=org` is
 * "总部/研发中心/前端组".
 */
export function departmentFromDn(dn: string, baseDN: string): string {
  const parts = rdns(dn);
  const base = rdns(baseDN);
  const below = parts.slice(0, Math.max(0, parts.length - base.length));
  return below
    .filter((rdn) => /^ou=/i.test(rdn))
    .map((rdn) => unescapeRdnValue(rdn.slice(3)))
    .reverse()
    .join('/');
}

function first(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === null) return '';
  return (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)).trim();
}

/** An attribute of an entry; servers may spell attribute names in another case than asked. */
function attr(entry: Record<string, unknown>, name: string): string {
  const k = Object.keys(entry).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? '' : first(entry[k]);
}

/** Bind to the server, search, and map each entry to an import entry (line = position, from 1). */
export async function ldapEntries(source: LdapSource, password: string): Promise<ImportEntry[]> {
  const map = source.attributes;
  // Loaded on first use: every server process would otherwise hold ldapts (~1.6 MiB of heap).
  const { Client } = await import('ldapts');
  const client = new Client({ url: source.url, timeout: TIMEOUT_MS, connectTimeout: TIMEOUT_MS });
  try {
    try {
      if (source.bindDN) await client.bind(source.bindDN, password);
    } catch (err) {
      throw failed(/ECONNREFUSED|ETIMEDOUT|ENOTFOUND|timeout/i.test(String(err)) ? 'connect' : 'bind', err);
    }
    let entries;
    try {
      ({ searchEntries: entries } = await client.search(source.baseDN, {
        scope: 'sub',
        filter: source.filter,
        sizeLimit: SIZE_LIMIT,
        attributes: [map.phone, map.nickname, map.title, map.department].filter(Boolean),
      }));
    } catch (err) {
      throw failed('search', err);
    }
    entries.sort((a, b) => a.dn.localeCompare(b.dn));
    return entries.map((entry, i) => ({
      line: i + 1,
      phone: attr(entry, map.phone),
      nickname: attr(entry, map.nickname),
      department: map.department ? attr(entry, map.department) : departmentFromDn(entry.dn, source.baseDN),
      title: map.title ? attr(entry, map.title) : '',
    }));
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
