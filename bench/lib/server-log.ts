/**
 * The benchmark server's own log (`server.log` in the run's data dir): its stdout and stderr, pino
 * JSON lines from the primary and every worker. A scale run ends with the warnings, errors and fatal
 * lines counted by message, so a slow consumer, a heartbeat timeout or a worker restart is seen.
 */
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** pino's numeric levels. */
const LEVELS: Record<number, 'warn' | 'error' | 'fatal'> = { 40: 'warn', 50: 'error', 60: 'fatal' };
const TOP = 10;

export interface ServerLogSummary {
  path: string;
  lines: number;
  warn: number;
  error: number;
  fatal: number;
  /** Lines that are not pino JSON (a crash's stack trace on stderr, Node warnings). */
  other: number;
  /** warn/error/fatal lines by `msg`, the most frequent first (top 10); `[fatal] msg` for fatal lines. */
  byMsg: Record<string, number>;
  /** The first few lines that are not JSON, as they are. */
  otherSamples: string[];
}

export function serverLogPath(dataDir: string): string {
  return join(dataDir, 'server.log');
}

/** A fresh `server.log` in `dataDir` (an earlier run's is replaced), opened for a child's stdout and stderr. */
export function openServerLog(dataDir: string): { path: string; fd: number; close(): void } {
  const path = serverLogPath(dataDir);
  const fd = openSync(path, 'w');
  return { path, fd, close: () => closeSync(fd) };
}

/** Count the warn/error/fatal lines of a server log's text by level and by message. */
export function summarizeServerLog(text: string, path = ''): ServerLogSummary {
  const summary: ServerLogSummary = {
    path,
    lines: 0,
    warn: 0,
    error: 0,
    fatal: 0,
    other: 0,
    byMsg: {},
    otherSamples: [],
  };
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    summary.lines++;
    let entry: { level?: unknown; msg?: unknown } | null = null;
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed && typeof parsed === 'object') entry = parsed;
    } catch {
      // not a pino line
    }
    if (!entry || typeof entry.level !== 'number') {
      summary.other++;
      if (summary.otherSamples.length < 5) summary.otherSamples.push(line.slice(0, 300));
      continue;
    }
    const level = LEVELS[entry.level];
    if (!level) continue;
    summary[level]++;
    const msg = typeof entry.msg === 'string' ? entry.msg : '(no msg)';
    const key = level === 'warn' ? msg : `[${level}] ${msg}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [msg, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, TOP)) summary.byMsg[msg] = n;
  return summary;
}

/** Summarize the log at `path` (an empty summary when the file is missing). */
export function readServerLog(path: string): ServerLogSummary {
  return summarizeServerLog(existsSync(path) ? readFileSync(path, 'utf8') : '', path);
}

/** The summary in two or three lines for a run's progress output. */
export function serverLogLines(s: ServerLogSummary): string[] {
  const head = `server log ${s.path}: ${s.lines} lines, ${s.warn} warn, ${s.error} error, ${s.fatal} fatal, ${s.other} not JSON`;
  const lines = [head];
  const msgs = Object.entries(s.byMsg);
  if (msgs.length) lines.push(`server log by message: ${msgs.map(([m, n]) => `${n} × ${m}`).join('; ')}`);
  if (s.otherSamples.length) lines.push(`server log, not JSON: ${s.otherSamples.join(' | ')}`);
  return lines;
}

/** The last `n` lines of a log (for an error when the server did not start). */
export function logTail(path: string, n = 20): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
}
