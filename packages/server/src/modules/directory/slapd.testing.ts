import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';

export interface Slapd {
  url: string;
  baseDN: string;
  rootDN: string;
  rootPassword: string;
  stop(): Promise<void>;
}

/** Whether Debian's OpenLDAP server is installed (`apt-get install slapd ldap-utils`). */
export function slapdInstalled(): boolean {
  return existsSync(SLAPD) && existsSync(SLAPADD);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('slapd did not start listening in time');
}

/**
 * A throwaway OpenLDAP server: a generated slapd.conf (mdb backend, a root DN and password) in a
 * temp dir, the LDIF loaded with slapadd, then slapd in the foreground on a free local port.
 */
export async function startSlapd(ldif: string, baseDN = 'dc=zhixin,dc=test'): Promise<Slapd> {
  const dir = mkdtempSync(join(tmpdir(), 'zx-slapd-'));
  const dbDir = join(dir, 'db');
  mkdirSync(dbDir);
  const rootDN = `cn=admin,${baseDN}`;
  const rootPassword = 'slapd-test-secret';
  const conf = join(dir, 'slapd.conf');
  writeFileSync(
    conf,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      `pidfile ${join(dir, 'slapd.pid')}`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'database mdb',
      'maxsize 16777216',
      `suffix "${baseDN}"`,
      `rootdn "${rootDN}"`,
      `rootpw ${rootPassword}`,
      `directory ${dbDir}`,
      '',
    ].join('\n'),
  );
  const data = join(dir, 'data.ldif');
  writeFileSync(data, ldif);
  const load = spawnSync(SLAPADD, ['-f', conf, '-l', data], { encoding: 'utf8' });
  if (load.status !== 0) throw new Error(`slapadd failed: ${load.stderr}`);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}/`;
  // -d keeps slapd in the foreground, so the test owns the process and stops it.
  const child = spawn(SLAPD, ['-h', url, '-f', conf, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  try {
    await waitForPort(port, child, Date.now() + 15_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}: ${stderr}`);
  }
  return {
    url,
    baseDN,
    rootDN,
    rootPassword,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
