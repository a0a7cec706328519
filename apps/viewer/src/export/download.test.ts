import { describe, expect, it } from 'vitest';
import { exportFileName } from './download.js';

describe('export file names', () => {
  it('name the case and the local time, safely for any file system', () => {
    const at = new Date(2026, 0, 25, 13, 5, 9);
    expect(exportFileName('demo', 'graphml', at)).toBe('chaintrail-demo-20260125-130509.graphml');
    expect(exportFileName('WtV / seized: "2019"', 'png', at)).toBe('chaintrail-WtV-seized-2019-20260125-130509.png');
    expect(exportFileName('///', 'csv', at)).toBe('chaintrail-case-20260125-130509.csv');
  });
});
