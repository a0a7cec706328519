import { describe, expect, it } from 'vitest';
import { endOfUtcDay, startOfUtcDay, utcDayOf } from './utc-day.js';

describe('UTC days', () => {
  it('reads a day as its first and last second in UTC', () => {
    expect(startOfUtcDay('2023-07-24')).toBe(1_690_156_800);
    expect(endOfUtcDay('2023-07-24')).toBe(1_690_243_199);
    expect(utcDayOf(1_690_236_852)).toBe('2023-07-24');
  });

  it('reads an empty field as no bound', () => {
    expect(startOfUtcDay('')).toBeNull();
    expect(endOfUtcDay('  ')).toBeNull();
    expect(utcDayOf(null)).toBe('');
  });

  it.each(['2023-02-30', '24.07.2023', '2023-7-1'])('refuses %j', (text) => {
    expect(() => startOfUtcDay(text)).toThrow('is not a day');
  });
});
