import { describe, expect, it } from 'vitest';
import { findChromium, fixPdfDates } from './chromium-render.js';

describe('reproducible PDFs', () => {
  it("overwrites Chromium's creation and modification dates with the export time, keeping every byte offset", () => {
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj <</Producer (Skia/PDF m156)\n/CreationDate (D:20261125131927+00'00')\n/ModDate (D:20261125131927+00'00')>>\nendobj\n", 'latin1');
    const fixed = fixPdfDates(pdf, '2024-05-01T09:30:05.000Z');
    expect(fixed.length).toBe(pdf.length);
    expect(fixed.toString('latin1')).toContain("/CreationDate (D:20240501093005+00'00')");
    expect(fixed.toString('latin1')).toContain("/ModDate (D:20240501093005+00'00')");
    expect(fixPdfDates(pdf, '2024-05-01T09:30:05Z').equals(fixPdfDates(Buffer.from(pdf.toString('latin1').replace(/1319/g, '0000'), 'latin1'), '2024-05-01T09:30:05Z'))).toBe(true);
  });

  it('leaves a date of another length alone rather than shift the offsets', () => {
    const pdf = Buffer.from('/CreationDate (D:20261125131927Z)', 'latin1');
    expect(fixPdfDates(pdf, '2024-05-01T09:30:05Z').toString('latin1')).toBe('/CreationDate (D:20261125131927Z)');
  });

  it('uses only a Chromium that exists', () => {
    expect(findChromium('/nonexistent/chromium')).toBeNull();
    expect(findChromium(null, { CHAINTRAIL_CHROMIUM: '/nonexistent/chromium' })).toBeNull();
  });
});
