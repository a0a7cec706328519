import { describe, expect, it } from 'vitest';
import type { JsonValue } from '@chaintrail/store';
import { viewNodes } from './view-scope.js';

describe('nodes of a saved view', () => {
  it('finds every {kind, id} node wherever the viewer put it, once each, and nothing else', () => {
    const state: JsonValue = {
      nodes: [
        { kind: 'address', id: '1A', x: 10, y: 20 },
        { kind: 'tx', id: 'ab'.repeat(32), pinned: true },
      ],
      groups: [{ members: [{ kind: 'entity', id: 'E1' }, { kind: 'address', id: '1A' }] }],
      selection: { kind: 'address', id: '1B' },
      filters: { kind: 'time', id: 'not-a-node' },
      label: { kind: 'address', id: '' },
    };
    expect(viewNodes(state)).toEqual([
      { kind: 'address', id: '1A' },
      { kind: 'tx', id: 'ab'.repeat(32) },
      { kind: 'entity', id: 'E1' },
      { kind: 'address', id: '1B' },
    ]);
  });
});
