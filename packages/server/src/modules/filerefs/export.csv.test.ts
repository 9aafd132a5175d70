import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './export.csv.ts';

describe('evidence CSV cells', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvCell('+8613800000000')).toBe("'+8613800000000");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tindent')).toBe("'\tindent");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('张三, 李四')).toBe('"张三, 李四"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1,"2"')).toBe('"\'=1,""2"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('writes a record as one line with ISO time, space-separated targets and JSON details', () => {
    const line = csvLine({
      seq: 7,
      at: Date.UTC(2026, 0, 2, 3, 4, 5),
      category: 'file',
      action: 'file.send',
      actorId: 'U1',
      subject: 'ab'.repeat(32),
      conversationId: 'C1',
      targetIds: ['U2', 'U3'],
      deviceId: null,
      ip: '10.0.0.1',
      details: { fileId: 'F1' },
      hash: 'h',
    });
    expect(line).toBe(
      `7,2026-01-02T03:04:05.000Z,file,file.send,U1,${'ab'.repeat(32)},C1,U2 U3,,10.0.0.1,"{""fileId"":""F1""}",h\r\n`,
    );
  });
});
