import type { ImportEntry } from './importer.ts';

/** One CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * RFC 4180 CSV: commas, double-quoted cells (with "" for a quote, and line breaks inside),
 * CRLF or LF. A UTF-8 BOM (Excel writes one) is dropped.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

const HEADER = /^(phone|mobile|手机|手机号|电话)$/i;

/**
 * The entries of a directory CSV: phone, nickname, department path ("总部/研发中心/前端组"), title.
 * A first line whose first cell names the phone column is a header and skipped.
 */
export function csvEntries(text: string): ImportEntry[] {
  const records = parseCsv(text);
  const first = records[0];
  const body = first && HEADER.test((first.cells[0] ?? '').trim()) ? records.slice(1) : records;
  return body.map((r) => ({
    line: r.line,
    phone: (r.cells[0] ?? '').trim(),
    nickname: (r.cells[1] ?? '').trim(),
    department: (r.cells[2] ?? '').trim(),
    title: (r.cells[3] ?? '').trim(),
    extraCells: r.cells.length > 4 && r.cells.slice(4).some((c) => c.trim() !== ''),
  }));
}
