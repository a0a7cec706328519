import { describe, expect, it } from 'vitest';
import type { AnnotationJson } from '../api/wire-types.js';
import { marksOf } from './annotation-actions.js';
import { strongestTag } from './detail-loader.js';

const note = (id: string, text: string, colour: AnnotationJson['colour']): AnnotationJson => ({
  id,
  caseId: 'c',
  target: { kind: 'address', id: '1A' },
  text,
  colour,
  author: 'analyst',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('marks on nodes', () => {
  it('shows the latest colour given and every note written', () => {
    const marks = marksOf(new Map([['address:1A', [note('1', 'paid twice', 'red'), note('2', '', 'blue'), note('3', 'KYC asked', null)]]]));
    expect(marks.get('address:1A')).toEqual({ colour: 'blue', note: true, text: 'paid twice | KYC asked' });
  });

  it('marks a colour without a note as no note', () => {
    expect(marksOf(new Map([['address:1A', [note('1', '', 'green')]]])).get('address:1A')).toEqual({ colour: 'green', note: false, text: '' });
  });
});

describe('the tag that colours an address', () => {
  const tag = (label: string, category: string | null) => ({ address: '1A', label, category, source: 'test', confidence: null });

  it('prefers a sanction over any other tag, then a known category, then the first', () => {
    expect(strongestTag([tag('shop', 'merchant'), tag('OFAC SDN', 'sanction'), tag('bitstamp', 'exchange')])?.label).toBe('OFAC SDN');
    expect(strongestTag([tag('shop', 'merchant'), tag('bitstamp', 'exchange')])?.label).toBe('bitstamp');
    expect(strongestTag([tag('shop', 'merchant')])?.label).toBe('shop');
    expect(strongestTag([])).toBeUndefined();
  });
});
