import { describe, expect, it } from 'vitest';
import { TABLES } from './bundle-layout.js';
import { csvText, parseCsvTable } from './csv-table.js';

describe('bundle tables as CSV', () => {
  it('round-trips text that needs quoting, empty cells, bigints and yes/no, with the line each row starts on', () => {
    const rows = [
      ['1Addr', 'E1', 'label, with "quotes"', 'exchange', 'tagpack:x.yaml', 'ownership', null, null, null, null, 'line one\nline two'],
      ['1Other', null, 'plain', null, 'ofac:list.txt', null, 'https://example.org', '2024-01-01', 'abuse', 'actor', null],
    ] as const;
    const text = csvText('tags', rows);
    expect(text.split('\n')[0]).toBe(TABLES.tags.columns.join(','));
    const parsed = parseCsvTable('tags', text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows.map((r) => r.row.label)).toEqual(['label, with "quotes"', 'plain']);
    expect(parsed.rows[0]?.row.context).toBe('line one\nline two');
    expect(parsed.rows[1]?.row.entity_id).toBe('');
    // The second record starts on line 4: its predecessor spans two lines.
    expect(parsed.rows.map((r) => r.line)).toEqual([3, 4]);
    expect(csvText('entities', [['E1', null, null, 12n, 3, 2, true]]).split('\n')[1]).toBe('E1,,,12,3,2,yes');
  });

  it('refuses a header that is not the layout and rows of the wrong width, naming the line', () => {
    const header = parseCsvTable('tags', 'address,label\n1A,x\n');
    expect(header.rows).toEqual([]);
    expect(header.problems[0]).toMatchObject({ line: 1 });
    const text = `${TABLES.entities.columns.join(',')}\nE1,,,1,1,0,yes\nE2,,,1\n`;
    const short = parseCsvTable('entities', text);
    expect(short.rows.map((r) => r.row.entity_id)).toEqual(['E1']);
    expect(short.problems).toEqual([{ line: 3, message: '4 fields, expected 7' }]);
  });

  it('rejects rows whose width differs from the table when writing', () => {
    expect(() => csvText('entities', [['E1']])).toThrow(/1 cells, the table 7 columns/);
  });
});
