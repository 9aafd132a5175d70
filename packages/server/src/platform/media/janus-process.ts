import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Logger } from '../logger.ts';
import type { JanusServerConfig } from './janus-pool.ts';

/** Where Debian installs Janus's modules. */
const MODULES_DIR = '/usr/lib/x86_64-linux-gnu/janus';

/** The full path of an executable on PATH (or the path itself when absolute), or null. */
export function findExecutable(name: string): string | null {
  if (isAbsolute(name)) return existsSync(name) ? name : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** A free TCP port on loopback (asked from the kernel, then released for Janus to take). */
export function freePort(): Promise<number> {
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

export interface ManagedJanusOptions {
  /** The `janus` executable (default: found on PATH). */
  binary?: string;
  /** Server id in the pool (default `embedded`). */
  id?: string;
  log: Logger;
  /** Directory for the generated configuration and the log (default: a new temp dir, removed on stop). */
  dir?: string;
  /** RTP/RTCP port range for media, e.g. `20000-40000`. */
  rtpPortRange?: string;
  /**
   * Start it again when it exits on its own (a crash, the OOM killer): on the same ports with the
   * same admin secret, so the pools that use it reconnect at their next health check. The first
   * restart waits 1 s, each failed one doubles the wait up to 30 s; a run of a minute resets it.
   */
  restart?: boolean;
}

/** A Janus process we started with a generated, loopback-only configuration. */
export interface ManagedJanus {
  readonly server: JanusServerConfig;
  /** The running process's pid (a restart changes it). */
  readonly pid: number;
  readonly logFile: string;
  /** How many times it was started again after exiting on its own (`restart`). */
  readonly restarts: number;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Stop it (SIGTERM, then SIGKILL) and remove the generated files. */
  stop(): Promise<void>;
  /** Kill it at once (tests of failover; with `restart` it comes back). */
  kill(): void;
}

const RESTART_FIRST_MS = 1000;
const RESTART_MAX_MS = 30_000;
/** A process that ran this long before exiting restarts after RESTART_FIRST_MS again. */
const RESTART_RESET_MS = 60_000;

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  startedAt: number;
}

function linkModules(target: string, kind: string, names: readonly string[]): void {
  mkdirSync(target, { recursive: true });
  for (const name of names) symlinkSync(join(MODULES_DIR, kind, name), join(target, name));
}

/**
 * The configuration: only the videoroom plugin and the WebSocket transport are loaded (through
 * folders holding just those modules), the API and the admin API listen on 127.0.0.1 only, the
 * admin API needs a random secret and every API request a token added through it (`token_auth`).
 * Left at Janus's defaults on purpose: `nack_optimizations`, `no_media_timer`, `twcc_period`,
 * `debug_level` 3 and `ice_lite` changed the CPU per forwarded packet by less than the run-to-run
 * noise (±5%) in A/B runs of the media benchmark (bench/janus-ab.sh, BENCHMARKS.md);
 * `event_loops = 1` saved 6–8% there but would put all media of this Janus on one core.
 */
function writeConfig(dir: string, wsPort: number, adminPort: number, adminSecret: string, rtp: string): void {
  const plugins = join(dir, 'plugins');
  const transports = join(dir, 'transports');
  linkModules(plugins, 'plugins', ['libjanus_videoroom.so']);
  linkModules(transports, 'transports', ['libjanus_websockets.so']);
  mkdirSync(join(dir, 'events'), { recursive: true });
  mkdirSync(join(dir, 'loggers'), { recursive: true });
  writeFileSync(
    join(dir, 'janus.jcfg'),
    `general: {
  configs_folder = "${dir}"
  plugins_folder = "${plugins}"
  transports_folder = "${transports}"
  events_folder = "${join(dir, 'events')}"
  loggers_folder = "${join(dir, 'loggers')}"
  debug_level = 4
  admin_secret = "${adminSecret}"
  token_auth = true
  session_timeout = 60
  # A fixed pool of event loops instead of one thread per handle: the media benchmark measured the
  # CPU per forwarded packet halved (bench/scenarios/media.ts, BENCHMARKS.md).
  event_loops = ${Math.max(2, availableParallelism())}
  server_name = "zhixin"
  protected_folders = ["/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sbin", "/sys", "/usr", "/var"]
}
media: {
  rtp_port_range = "${rtp}"
}
nat: {
  ignore_mdns = true
}
events: {
  broadcast = false
}
`,
  );
  writeFileSync(
    join(dir, 'janus.transport.websockets.jcfg'),
    `general: {
  json = "compact"
  ws = true
  ws_port = ${wsPort}
  ws_ip = "127.0.0.1"
  wss = false
}
admin: {
  admin_ws = true
  admin_ws_port = ${adminPort}
  admin_ws_ip = "127.0.0.1"
  admin_wss = false
}
`,
  );
  writeFileSync(
    join(dir, 'janus.plugin.videoroom.jcfg'),
    `general: {
  lock_rtp_forward = true
}
`,
  );
}

async function waitForPort(port: number, child: ChildProcess, ms: number): Promise<void> {
  const { connect } = await import('node:net');
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`janus exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`janus did not open port ${port} within ${ms} ms`);
}

/**
 * Start Janus with a generated configuration (`janus -F <dir> -C <dir>/janus.jcfg -L <log> -o -N`)
 * and wait until its WebSocket ports answer. Throws when the binary is missing or it does not start.
 */
export async function startManagedJanus(opts: ManagedJanusOptions): Promise<ManagedJanus> {
  const binary = findExecutable(opts.binary ?? 'janus');
  if (!binary) throw new Error(`janus binary not found (${opts.binary ?? 'janus'})`);
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'zx-janus-'));
  const wsPort = await freePort();
  const adminPort = await freePort();
  const adminSecret = randomBytes(24).toString('base64url');
  writeConfig(dir, wsPort, adminPort, adminSecret, opts.rtpPortRange ?? '20000-40000');
  const logFile = join(dir, 'janus.log');
  const launch = async (): Promise<Running> => {
    const child = spawn(binary, ['-F', dir, '-C', join(dir, 'janus.jcfg'), '-L', logFile, '-o', '-N'], {
      stdio: 'ignore',
      detached: false,
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitForPort(wsPort, child, 15_000);
      await waitForPort(adminPort, child, 5_000);
    } catch (err) {
      child.kill('SIGKILL');
      await exited;
      throw err;
    }
    opts.log.info({ pid: child.pid, wsPort, adminPort }, 'janus started');
    return { child, exited, startedAt: Date.now() };
  };
  let current: Running;
  try {
    current = await launch();
  } catch (err) {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const id = opts.id ?? 'embedded';
  let stopping: Promise<void> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let relaunching: Promise<Running> | null = null;
  let restartDelay = RESTART_FIRST_MS;
  let restarts = 0;

  const scheduleRestart = (): void => {
    const delay = restartDelay;
    restartDelay = Math.min(restartDelay * 2, RESTART_MAX_MS);
    restartTimer = setTimeout(() => void relaunch(), delay);
    restartTimer.unref();
  };
  const relaunch = async (): Promise<void> => {
    restartTimer = undefined;
    if (stopping) return;
    relaunching = launch();
    try {
      current = await relaunching;
    } catch (err) {
      opts.log.error({ err, janus: id }, 'janus did not start again; retrying');
      if (!stopping) scheduleRestart();
      return;
    } finally {
      relaunching = null;
    }
    restarts++;
    opts.log.warn({ janus: id, pid: current.child.pid, restarts }, 'janus started again');
    watch(current);
  };
  const watch = (run: Running): void => {
    if (!opts.restart) return;
    void run.exited.then(() => {
      if (stopping) return;
      if (Date.now() - run.startedAt >= RESTART_RESET_MS) restartDelay = RESTART_FIRST_MS;
      opts.log.error(
        {
          janus: id,
          pid: run.child.pid,
          code: run.child.exitCode,
          signal: run.child.signalCode,
          restartInMs: restartDelay,
        },
        'janus exited on its own; starting it again',
      );
      scheduleRestart();
    });
  };
  watch(current);

  const running = () => current.child.exitCode === null && current.child.signalCode === null;
  return {
    server: {
      id,
      wsUrl: `ws://127.0.0.1:${wsPort}`,
      adminUrl: `ws://127.0.0.1:${adminPort}`,
      adminSecret,
    },
    get pid() {
      return current.child.pid ?? 0;
    },
    get restarts() {
      return restarts;
    },
    logFile,
    alive: running,
    kill: () => {
      current.child.kill('SIGKILL');
    },
    stop() {
      stopping ??= (async () => {
        clearTimeout(restartTimer);
        // A start in flight finishes first (it sets `current`), so its process is the one stopped.
        await relaunching?.catch(() => undefined);
        if (running()) {
          current.child.kill('SIGTERM');
          const timer = setTimeout(() => current.child.kill('SIGKILL'), 3000);
          await current.exited;
          clearTimeout(timer);
        }
        if (ownDir) rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
