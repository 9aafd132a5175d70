import { PassThrough, Readable, type Writable } from 'node:stream';
import { once } from 'node:events';
import type { UserBehaviourRecord } from '@zhixin/protocol';
import { UTF8_BOM, csvLine, formatTime } from './exports.format.ts';
import type { UserRow } from './exports.rows.ts';

export interface Column {
  key: string;
  header: string;
  width: number;
  value: (row: UserRow) => string | number | null;
}

const ROLE_NAMES: Record<string, string> = {
  user: '用户',
  operator: '运营',
  auditor: '审计',
  admin: '管理员',
};
const STATUS_NAMES: Record<string, string> = { active: '正常', disabled: '已停用', deactivated: '已注销' };

/**
 * Phones in full: exports are for operators and administrators, who already see phones in the
 * console, and every export is audited. Mainland numbers in their national form (what people dial).
 */
export function displayPhone(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164;
}

export const USER_COLUMNS: Column[] = [
  { key: 'id', header: '用户ID', width: 28, value: (r) => r.user.id },
  { key: 'phone', header: '手机号', width: 16, value: (r) => displayPhone(r.user.phone) },
  { key: 'nickname', header: '昵称', width: 18, value: (r) => r.user.nickname },
  { key: 'account', header: '致信号', width: 18, value: (r) => r.user.account ?? '' },
  { key: 'department', header: '部门', width: 20, value: (r) => r.department ?? '' },
  { key: 'role', header: '角色', width: 8, value: (r) => ROLE_NAMES[r.user.role] ?? r.user.role },
  { key: 'status', header: '状态', width: 8, value: (r) => STATUS_NAMES[r.user.status] ?? r.user.status },
  { key: 'createdAt', header: '注册时间', width: 20, value: (r) => formatTime(r.user.createdAt) },
  {
    key: 'lastActiveAt',
    header: '最后活跃',
    width: 20,
    value: (r) => formatTime(r.activity?.lastActiveAt ?? r.user.lastActiveAt),
  },
];

export const ACTIVE_COLUMNS: Column[] = [
  ...USER_COLUMNS,
  { key: 'activeDays', header: '活跃天数', width: 10, value: (r) => r.activity?.activeDays ?? 0 },
  { key: 'messagesSent', header: '发送消息数', width: 12, value: (r) => r.activity?.messagesSent ?? 0 },
];

export interface WriteResult {
  rows: number;
}

/** CSV: BOM, header, one line per row; pulled by the response, so a slow client slows the reads. */
export function csvStream(
  pages: AsyncIterable<UserRow[]>,
  columns: readonly Column[],
  done: (r: WriteResult) => Promise<void>,
): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield UTF8_BOM + csvLine(columns.map((c) => c.header));
    let rows = 0;
    for await (const page of pages) {
      rows += page.length;
      yield page.map((row) => csvLine(columns.map((c) => c.value(row)))).join('');
    }
    // The last bytes go out once the audit record is durable: no export leaves unrecorded.
    await done({ rows });
  }
  return Readable.from(lines(), { objectMode: false });
}

/** JSON lines: one record per line. */
export function jsonLinesStream(
  pages: AsyncIterable<UserBehaviourRecord[]>,
  done: (r: WriteResult) => Promise<void>,
): Readable {
  async function* lines(): AsyncGenerator<string> {
    let rows = 0;
    for await (const page of pages) {
      rows += page.length;
      yield page.map((r) => `${JSON.stringify(r)}\n`).join('');
    }
    // The last bytes go out once the audit record is durable: no export leaves unrecorded.
    await done({ rows });
  }
  return Readable.from(lines(), { objectMode: false });
}

/** Wait until the response has taken what was written, so at most about a page sits in memory. */
async function drained(out: Writable): Promise<void> {
  if (out.writableNeedDrain) await once(out, 'drain');
}

/**
 * XLSX through exceljs's streaming WorkbookWriter: rows are committed as they come and the zip is
 * written to the returned stream; without shared strings or styles nothing accumulates per row.
 * Cells are typed strings and numbers (never formulas), so no cell can be read as a formula.
 */
export function xlsxStream(
  pages: AsyncIterable<UserRow[]>,
  columns: readonly Column[],
  sheetName: string,
  done: (r: WriteResult) => Promise<void>,
  fail: (err: unknown) => void,
): Readable {
  const out = new PassThrough();
  void (async () => {
    // Loaded on first use: every server process would otherwise hold exceljs (~7.6 MiB of heap).
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useSharedStrings: false,
      useStyles: false,
    });
    const sheet = workbook.addWorksheet(sheetName);
    sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    let rows = 0;
    for await (const page of pages) {
      for (const row of page) {
        sheet.addRow(columns.map((c) => c.value(row))).commit();
      }
      rows += page.length;
      await drained(out);
    }
    sheet.commit();
    await done({ rows });
    await workbook.commit();
  })().catch((err: unknown) => {
    fail(err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return out;
}
