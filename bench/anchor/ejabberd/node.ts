import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ejabberdConfig } from './config.ts';

/**
 * One private ejabberd node (Debian's package, run without its init script): bound to 127.0.0.1,
 * its config, Mnesia spool, logs and Erlang cookie in a temp dir removed at stop. Erlang
 * distribution is bound to loopback too; it is how users are registered in bulk (one `erl` client
 * node calling `ejabberd_auth:try_register/3` in a loop over RPC, instead of one `ejabberdctl
 * register` VM start per user).
 */
export interface EjabberdNode {
  /** The beam.smp process (the whole server: it is one OS process). */
  pid: number;
  port: number;
  domain: string;
  dir: string;
  /** User u<i> has the password `${passwordSeed}${i}` (random per run). */
  passwordSeed: string;
  /** Register users u<first>..u<first+count-1>; returns seconds taken. */
  registerUsers(first: number, count: number): Promise<number>;
  /** erlang:memory() of the node (bytes by kind: processes, ets, binary, ...) and its process count. */
  erlangMemory(): Promise<Record<string, number>>;
  /** Rows in mod_mam's Mnesia archive (0 without `mam`): proof that messages were stored. */
  archivedMessages(): Promise<number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  port: number;
  mam: boolean;
  domain?: string;
  /** Open files the node may hold (the machine's hard limit is 20,000). */
  maxFiles?: number;
}

const ERL = '/usr/bin/erl';
/** Where Debian's ejabberd package puts its Erlang applications (ejabberdctl's ERL_LIBS). */
const ERL_LIBS = '/usr/lib/x86_64-linux-gnu';

/** Whether the Debian packages the side-by-side runs need are installed. */
export function ejabberdInstalled(): boolean {
  return existsSync(ERL) && readdirSync(ERL_LIBS).some((name) => name.startsWith('ejabberd-'));
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The beam.smp below the `sh -c ulimit...; exec erl` we spawned (erl execs beam directly). */
function beamPid(child: ChildProcess): number {
  const pid = child.pid;
  if (pid === undefined) throw new Error('ejabberd did not start');
  const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  if (comm !== 'beam.smp') throw new Error(`expected beam.smp at pid ${pid}, found ${comm}`);
  return pid;
}

export async function startEjabberd(o: StartOptions): Promise<EjabberdNode> {
  if (!ejabberdInstalled())
    throw new Error('ejabberd is not installed: apt-get install -y --no-install-recommends ejabberd');
  const domain = o.domain ?? 'bench.local';
  const dir = mkdtempSync(join(tmpdir(), 'zx-ejabberd-'));
  const tag = `${process.pid}${randomBytes(3).toString('hex')}`;
  const nodeName = `zxej${tag}@localhost`;
  const cookie = randomBytes(16).toString('hex');
  const seed = randomBytes(4).toString('hex');
  const configPath = join(dir, 'ejabberd.yml');
  writeFileSync(
    configPath,
    ejabberdConfig({ domain, port: o.port, backlog: 4096, mam: o.mam, logLevel: 'warning' }),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EJABBERD_CONFIG_PATH: configPath,
    EJABBERD_LOG_PATH: join(dir, 'ejabberd.log'),
    ERL_LIBS,
    ERL_CRASH_DUMP: join(dir, 'erl_crash.dump'),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    HOME: dir,
  };
  const distOnLoopback = ['-kernel', 'inet_dist_use_interface', '{127,0,0,1}'];
  const maxFiles = o.maxFiles ?? 20_000;
  // +K true: epoll; +P/+Q: room for every connection's processes and ports (the fd limit binds first).
  const erlArgs = [
    '+K',
    'true',
    '+P',
    '2000000',
    '+Q',
    '65536',
    '-sname',
    nodeName,
    '-setcookie',
    cookie,
    ...distOnLoopback,
    '-noshell',
    '-noinput',
    '-mnesia',
    'dir',
    `"${join(dir, 'spool')}"`,
    '-s',
    'ejabberd',
  ];
  const quoted = erlArgs.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('sh', ['-c', `ulimit -n ${maxFiles} && exec ${ERL} ${quoted}`], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  // If the benchmark dies without stop() (a crash, Ctrl-C), take the node with it: no orphan server.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => {
    exited = true;
    process.off('exit', killOnExit);
  });

  const deadline = Date.now() + 60_000;
  while (!(await portOpen(o.port))) {
    if (exited || Date.now() > deadline) {
      const log = existsSync(join(dir, 'ejabberd.log'))
        ? readFileSync(join(dir, 'ejabberd.log'), 'utf8')
        : '';
      if (!exited) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`ejabberd did not listen on 127.0.0.1:${o.port}\n${stderr}\n${log.slice(-2000)}`);
    }
    await sleep(200);
  }
  const pid = beamPid(child);

  return {
    pid,
    port: o.port,
    domain,
    dir,
    passwordSeed: seed,
    async registerUsers(first, count) {
      const started = performance.now();
      // One client VM, 8 Erlang processes each registering a stripe of users over RPC (each user a
      // Mnesia transaction in ejabberd). `exists` is fine: a rerun on the same spool. ejabberd opens
      // its client port before its auth module has created the `passwd` table (seen on a loaded CI
      // machine: `{aborted, {no_exists, passwd, storage_type}}`), so that error is retried for 30 s.
      const script = [
        `Node = '${nodeName}', Dom = <<"${domain}">>, Seed = <<"${seed}">>,`,
        `First = ${first}, Last = ${first + count - 1}, Stripes = 8, Parent = self(),`,
        'Reg = fun Retry(I, N) -> B = integer_to_binary(I),',
        '  case rpc:call(Node, ejabberd_auth, try_register, [<<"u", B/binary>>, Dom, <<Seed/binary, B/binary>>]) of',
        "    {badrpc, {'EXIT', {aborted, {no_exists, _, _}}}} when N > 0 -> timer:sleep(200), Retry(I, N - 1);",
        '    R -> R end end,',
        'Pids = [spawn_link(fun() ->',
        '    Bad = [{I, R} || I <- lists:seq(First + S, Last, Stripes), R <- [Reg(I, 150)], R =/= ok, R =/= {error, exists}],',
        '    Parent ! {self(), Bad} end) || S <- lists:seq(0, Stripes - 1)],',
        'Bad = lists:append([receive {P, B} -> B end || P <- Pids]),',
        'case Bad of [] -> io:format("registered~n"), halt(0);',
        '  _ -> io:format("register failed: ~p~n", [lists:sublist(Bad, 3)]), halt(1) end.',
      ].join('\n');
      const out = await run(
        ERL,
        [
          '-sname',
          `zxreg${tag}@localhost`,
          '-setcookie',
          cookie,
          ...distOnLoopback,
          '-noshell',
          '-eval',
          script,
        ],
        env,
      );
      if (!out.includes('registered')) throw new Error(`registration did not finish: ${out}`);
      return (performance.now() - started) / 1000;
    },
    async erlangMemory() {
      const script =
        `Node = '${nodeName}', M = rpc:call(Node, erlang, memory, []),` +
        ` P = rpc:call(Node, erlang, system_info, [process_count]),` +
        ' [io:format("~s ~b~n", [K, V]) || {K, V} <- [{process_count, P} | M]], halt(0).';
      const out = await run(
        ERL,
        [
          '-sname',
          `zxmem${tag}@localhost`,
          '-setcookie',
          cookie,
          ...distOnLoopback,
          '-noshell',
          '-eval',
          script,
        ],
        env,
      );
      const memory: Record<string, number> = {};
      for (const m of out.matchAll(/^(\w+) (\d+)$/gm)) memory[m[1]!] = Number(m[2]);
      return memory;
    },
    async archivedMessages() {
      const script =
        `Node = '${nodeName}',` +
        ' N = case rpc:call(Node, mnesia, table_info, [archive_msg, size]) of I when is_integer(I) -> I; _ -> 0 end,' +
        ' io:format("archived ~b~n", [N]), halt(0).';
      const out = await run(
        ERL,
        [
          '-sname',
          `zxmam${tag}@localhost`,
          '-setcookie',
          cookie,
          ...distOnLoopback,
          '-noshell',
          '-eval',
          script,
        ],
        env,
      );
      return Number(/archived (\d+)/.exec(out)?.[1] ?? 0);
    },
    async stop() {
      if (!exited) {
        const gone = new Promise<void>((r) => child.once('exit', () => r()));
        // SIGTERM makes the Erlang VM run init:stop (an orderly shutdown); SIGKILL if it hangs.
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
