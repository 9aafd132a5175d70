/**
 * A NATS outage during a scale run (`--nats-outage S`): the local nats-server is stopped, and started
 * again S seconds later, with the commands this machine's services were started with (see the env
 * notes, machines/node-svc.md). `ZX_BENCH_NATS_STOP` / `ZX_BENCH_NATS_START` replace them (a shell
 * command each) on a machine where NATS runs otherwise.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const STOP = 'start-stop-daemon --stop --exec /usr/sbin/nats-server --retry 5';
const START =
  'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- ' +
  '-a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log';
const NATS_LOG = '/var/log/nats-server.log';

/** Lines of NATS's log that say it cut a slow consumer, or null when the log is not readable. */
export function slowConsumerLines(): number | null {
  if (!existsSync(NATS_LOG)) return null;
  return readFileSync(NATS_LOG, 'utf8').split('Slow Consumer Detected').length - 1;
}

/** Stop NATS for `downSeconds`; resolves once it was started again. */
export async function natsOutage(downSeconds: number, log: (l: string) => void): Promise<number> {
  const stop = process.env.ZX_BENCH_NATS_STOP ?? STOP;
  const start = process.env.ZX_BENCH_NATS_START ?? START;
  const began = performance.now();
  log(`NATS outage: stopping NATS for ${downSeconds} s`);
  execSync(stop, { stdio: 'inherit' });
  await new Promise((r) => setTimeout(r, downSeconds * 1000));
  execSync(start, { stdio: 'inherit' });
  const down = (performance.now() - began) / 1000;
  log(`NATS outage: NATS started again after ${down.toFixed(1)} s`);
  return down;
}
